import type { ContainerRuntimeClient } from 'testcontainers';

export const LOG_LINES_KEPT = 40;

type EngineContainer = Parameters<ContainerRuntimeClient['container']['logs']>[0];

/**
 * The text of Docker's multiplexed log format (an 8-byte header per frame: stream, 3 zero bytes,
 * big-endian length), or the buffer as it is when it is not framed (a TTY container).
 */
function demultiplex(buffer: Buffer): string {
  const frames: Buffer[] = [];
  for (let at = 0; at < buffer.length; ) {
    const kind = buffer[at];
    if (at + 8 > buffer.length || (kind !== 0 && kind !== 1 && kind !== 2)) return buffer.toString('utf8');
    const size = buffer.readUInt32BE(at + 4);
    frames.push(buffer.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(frames).toString('utf8');
}

/**
 * The container's last log lines, read from the engine in one request (not followed: a
 * followed stream of a container that just stopped can end before it delivers anything).
 */
export async function lastLogLines(
  client: ContainerRuntimeClient,
  container: EngineContainer,
  count = LOG_LINES_KEPT,
): Promise<string[]> {
  try {
    const buffer: unknown = await client.container.dockerode
      .getContainer(container.id)
      .logs({ follow: false, stdout: true, stderr: true, tail: count });
    const text = Buffer.isBuffer(buffer) ? demultiplex(buffer) : String(buffer);
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-count);
  } catch {
    return [];
  }
}
