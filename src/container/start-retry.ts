// Docker publishes a container's port on a host port it picks itself, in order from the start of
// the kernel's ephemeral range; a process of the machine may hold that port already (a client
// socket of the test suite, say), and the start then fails with "address already in use". The
// next pick is another port: such a start is tried again, on a new container.

/** Starts tried in all when Docker could not bind the host port it picked. */
export const START_ATTEMPTS = 3;

const PORT_TAKEN = /address already in use|port is already allocated/i;

/** Whether a failed start is Docker failing to bind the host port it picked (worth another try). */
export function isPortTaken(error: unknown): boolean {
  const { message, json } = (error ?? {}) as { message?: unknown; json?: { message?: unknown } };
  return PORT_TAKEN.test(String(message ?? '')) || PORT_TAKEN.test(String(json?.message ?? ''));
}

/**
 * Runs `start` until it succeeds, fails for another reason, or has failed {@link START_ATTEMPTS}
 * times on a taken port; `discard(error)` runs after each failed attempt that is tried again
 * (it removes what the attempt created). The last error is thrown as it came.
 */
export async function startRetrying<T>(
  start: () => Promise<T>,
  discard: (error: unknown, attempt: number) => Promise<void>,
  attempts = START_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !isPortTaken(error)) throw error;
      await discard(error, attempt);
    }
  }
}
