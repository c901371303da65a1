import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';
import { defineConfig } from '../../src/index.js';

const ENV = [
  'TIMESCALE_TESTKIT_ISOLATION',
  'TIMESCALE_TESTKIT_MIGRATIONS',
  'TIMESCALE_TESTKIT_SEED',
  'TIMESCALE_TESTKIT_REUSE',
  'TIMESCALE_TESTKIT_KEEP_FAILED',
  'TIMESCALE_TESTKIT_URL',
] as const;

describe('loadConfig', () => {
  let root: string;
  const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
  const image = process.env.TIMESCALE_TESTKIT_IMAGE;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tk-config-'));
    await mkdir(join(root, 'db', 'migrations'), { recursive: true });
    await mkdir(join(root, 'migrations'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    if (image === undefined) delete process.env.TIMESCALE_TESTKIT_IMAGE;
    else process.env.TIMESCALE_TESTKIT_IMAGE = image;
    for (const name of [
      'timescale-testkit.config.json',
      'timescale-testkit.config.mjs',
      'timescale-testkit.config.ts',
    ]) {
      await rm(join(root, name), { force: true });
    }
  });

  it('has defaults: ./migrations, transaction isolation, clones shared by the run, none per worker', async () => {
    const config = await loadConfig(root);
    expect(config).toMatchObject({
      migrations: join(root, 'migrations'),
      format: 'auto',
      isolation: 'transaction',
      shared: undefined,
      prepared: 0,
      keepFailed: false,
      url: undefined,
    });
  });

  it('reads a JSON file, then inline options, then the environment, each over the last', async () => {
    await writeFile(
      join(root, 'timescale-testkit.config.json'),
      JSON.stringify({ migrations: 'db/migrations', isolation: 'truncate', prepared: 3, seed: 7, image: 'file/image' }),
    );
    const fromFile = await loadConfig(root);
    expect(fromFile).toMatchObject({
      migrations: join(root, 'db', 'migrations'),
      isolation: 'truncate',
      prepared: 3,
      seed: 7,
    });
    const inline = await loadConfig(root, { isolation: 'none', reuse: true });
    expect(inline.isolation).toBe('none');
    expect(inline.container.reuse).toBe(true);
    delete process.env.TIMESCALE_TESTKIT_IMAGE;
    expect((await loadConfig(root)).container.image).toBe('file/image');
    process.env.TIMESCALE_TESTKIT_IMAGE = 'env/image';
    expect((await loadConfig(root)).container.image).toBeUndefined();
    process.env.TIMESCALE_TESTKIT_ISOLATION = 'transaction';
    process.env.TIMESCALE_TESTKIT_SEED = '42';
    process.env.TIMESCALE_TESTKIT_REUSE = '0';
    process.env.TIMESCALE_TESTKIT_KEEP_FAILED = 'true';
    process.env.TIMESCALE_TESTKIT_URL = 'postgres://u:p@127.0.0.1:5432/db';
    const fromEnv = await loadConfig(root, { isolation: 'none', reuse: true });
    expect(fromEnv).toMatchObject({
      isolation: 'transaction',
      seed: 42,
      keepFailed: true,
      url: 'postgres://u:p@127.0.0.1:5432/db',
    });
    expect(fromEnv.container.reuse).toBe(false);
  });

  it('loads an ES module or TypeScript config file', async () => {
    await writeFile(join(root, 'timescale-testkit.config.mjs'), "export default { isolation: 'none' };\n");
    expect((await loadConfig(root)).isolation).toBe('none');
    await rm(join(root, 'timescale-testkit.config.mjs'));
    await writeFile(
      join(root, 'timescale-testkit.config.ts'),
      "const config: { migrations: string } = { migrations: './db/migrations' };\nexport default config;\n",
    );
    expect((await loadConfig(root)).migrations).toBe(join(root, 'db', 'migrations'));
    expect(defineConfig({ prepared: 2 })).toEqual({ prepared: 2 });
  });

  it('names what is wrong', async () => {
    await expect(loadConfig(root, { isolation: 'sometimes' as 'none' })).rejects.toThrow(ConfigError);
    await expect(loadConfig(root, { isolation: 'sometimes' as 'none' })).rejects.toThrow(/transaction, truncate, none/);
    const missing = await loadConfig(root, { migrations: './nope' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toContain(join(root, 'nope'));
  });
});
