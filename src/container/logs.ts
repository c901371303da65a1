import type { ContainerRuntimeClient } from 'testcontainers';

export const LOG_LINES_KEPT = 40;
const READ_BOUND_MS = 2_000;

type EngineContainer = Parameters<ContainerRuntimeClient['container']['logs']>[0];

/**
 * The container's last log lines, read from the engine. The stream of a stopped container
 * ends by itself; a running one's is cut after a short bound.
 */
export async function lastLogLines(
  client: ContainerRuntimeClient,
  container: EngineContainer,
  count = LOG_LINES_KEPT,
): Promise<string[]> {
  const stream = await client.container.logs(container, { tail: count }).catch(() => undefined);
  if (!stream) return [];
  let text = '';
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, READ_BOUND_MS);
    function done() {
      clearTimeout(timer);
      stream?.destroy();
      resolve();
    }
    stream.on('data', (chunk: Buffer | string) => {
      text += String(chunk);
    });
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
