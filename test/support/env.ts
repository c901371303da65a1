import { afterEach } from 'vitest';

/** Puts the named environment variables back as they were after each test of the file. */
export function restoreEnvAfterEach(...names: string[]): void {
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
