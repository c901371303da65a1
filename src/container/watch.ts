import type { ContainerRuntimeClient } from 'testcontainers';
import type { ServerExit } from '../connection/index.js';
import { logger } from '../env/index.js';
import { lastLogLines } from './logs.js';

const debug = logger('container');

export interface WatchedContainer {
  id: string;
  image: string;
  server: string;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 404;
}

/** What the engine says about a container that is not running; undefined while it runs. */
export async function exitOf(
  client: ContainerRuntimeClient,
  watched: WatchedContainer,
): Promise<ServerExit | undefined> {
  const container = client.container.getById(watched.id);
  const base = { server: watched.server, containerId: watched.id, image: watched.image };
  try {
    const state = (await client.container.inspect(container)).State;
    if (state.Running && !state.Restarting) return undefined;
    return {
      ...base,
      exitCode: state.ExitCode,
      oomKilled: state.OOMKilled,
      logLines: await lastLogLines(client, container),
    };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { ...base, removed: true, logLines: [] };
  }
}

/**
 * Calls `onExit` once when the container dies (Docker's `die` event: killed, out of memory,
 * stopped or removed from outside). An open event stream costs nothing while nothing happens,
 * and does not keep the process alive. Returns the function that stops watching.
 */
export function watchExit(
  client: ContainerRuntimeClient,
  watched: WatchedContainer,
  onExit: (exit: ServerExit) => void,
): () => void {
  let closed = false;
  let stream: NodeJS.ReadableStream | undefined;
  const close = () => {
    closed = true;
    (stream as { destroy?: () => void } | undefined)?.destroy?.();
  };
  client.container
    .events(client.container.getById(watched.id), ['die'])
    .then((events) => {
      stream = events;
      if (closed) return close();
      (events as { socket?: { unref?: () => void } }).socket?.unref?.();
      events.on('error', () => undefined);
      events.once('data', (chunk: Buffer | string) => {
        if (closed) return;
        let exitCode: number | undefined;
        try {
          const code = (JSON.parse(String(chunk)) as { Actor?: { Attributes?: { exitCode?: string } } }).Actor
            ?.Attributes?.exitCode;
          exitCode = code === undefined ? undefined : Number(code);
        } catch {
          exitCode = undefined;
        }
        void exitOf(client, watched)
          .catch(() => undefined)
          .then((exit) => {
            if (closed) return;
            close();
            onExit(
              exit ?? { server: watched.server, containerId: watched.id, image: watched.image, exitCode, logLines: [] },
            );
          });
      });
    })
    .catch((error: unknown) => debug(`watching container ${watched.id.slice(0, 12)} failed: ${String(error)}`));
  return close;
}
