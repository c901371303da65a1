import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { dataDirectoryMount } from '../../src/container/data-directory.js';
import { resolveOptions } from '../../src/container/index.js';
import { DEFAULT_POSTGRES, POSTGRES_MAJORS, resolveImage, TIMESCALEDB_RELEASE } from '../../src/image/index.js';
import { DEFAULT_IMAGE, ImageChoiceError, officialImage, type PostgresMajor } from '../../src/index.js';
import { restoreEnvAfterEach } from '../support/env.js';

const root = join(import.meta.dirname, '..', '..');
restoreEnvAfterEach('TIMESCALE_TESTKIT_IMAGE');

describe('image naming', () => {
  it('pins a current release on PostgreSQL 17, published after the pgvector fix, named once', () => {
    expect(DEFAULT_IMAGE).toBe('timescale/timescaledb:2.30.2-pg17');
    expect(DEFAULT_IMAGE).toBe(officialImage());
    expect(DEFAULT_POSTGRES).toBe(17);
    expect(TIMESCALEDB_RELEASE).toBe('2.30.2');
  });

  it('names the official image of each PostgreSQL major, and the HA image', () => {
    expect(POSTGRES_MAJORS.map((major) => officialImage(major))).toEqual([
      'timescale/timescaledb:2.30.2-pg16',
      'timescale/timescaledb:2.30.2-pg17',
      'timescale/timescaledb:2.30.2-pg18',
    ]);
    expect(officialImage(18, true)).toBe('timescale/timescaledb-ha:pg18-ts2.30');
    expect(officialImage(undefined, true)).toBe('timescale/timescaledb-ha:pg17-ts2.30');
  });

  it('refuses a PostgreSQL major no image is published for, naming the choices', () => {
    for (const bad of [15, 19, '17', 17.5]) {
      const error = (() => {
        try {
          return resolveImage({ postgres: bad as PostgresMajor }, {});
        } catch (e) {
          return e;
        }
      })();
      expect(error, String(bad)).toBeInstanceOf(ImageChoiceError);
      expect((error as ImageChoiceError).code).toBe('IMAGE_CHOICE');
      expect((error as Error).message).toContain('16, 17, 18');
    }
    expect(() => resolveImage({ ha: 'yes' as unknown as boolean }, {})).toThrow(ImageChoiceError);
    // checked even when an explicit image wins
    expect(() => resolveImage({ image: 'x:1', postgres: 15 as PostgresMajor }, {})).toThrow(ImageChoiceError);
  });

  it('precedence: image option, then TIMESCALE_TESTKIT_IMAGE, then postgres / ha, then the default', () => {
    const env = { TIMESCALE_TESTKIT_IMAGE: 'mine/local:1' };
    expect(resolveImage({}, {})).toBe(DEFAULT_IMAGE);
    expect(resolveImage({ postgres: 16 }, {})).toBe('timescale/timescaledb:2.30.2-pg16');
    expect(resolveImage({ ha: true }, {})).toBe('timescale/timescaledb-ha:pg17-ts2.30');
    expect(resolveImage({ postgres: 18, ha: true }, {})).toBe('timescale/timescaledb-ha:pg18-ts2.30');
    expect(resolveImage({ postgres: 16, ha: true }, env)).toBe('mine/local:1');
    expect(resolveImage({}, { TIMESCALE_TESTKIT_IMAGE: '  ' })).toBe(DEFAULT_IMAGE);
    expect(resolveImage({ image: 'explicit:2', postgres: 16 }, env)).toBe('explicit:2');
  });

  it('resolveOptions and the config apply the same precedence with the process environment', async () => {
    delete process.env.TIMESCALE_TESTKIT_IMAGE;
    expect(resolveOptions().image).toBe(DEFAULT_IMAGE);
    expect(resolveOptions({ postgres: 18 }).image).toBe('timescale/timescaledb:2.30.2-pg18');
    expect(resolveOptions({ postgres: 16 }).configHash).not.toBe(resolveOptions({ postgres: 17 }).configHash);
    const config = await loadConfig(root, { postgres: 16, ha: true }, { requireMigrations: false });
    expect(config.container).toMatchObject({ postgres: 16, ha: true });
    expect(resolveOptions(config.container).image).toBe('timescale/timescaledb-ha:pg16-ts2.30');
    process.env.TIMESCALE_TESTKIT_IMAGE = 'from/env:1';
    expect(resolveOptions({ postgres: 16 }).image).toBe('from/env:1');
    expect(resolveOptions({ image: 'given:1' }).image).toBe('given:1');
    const withImage = await loadConfig(root, { image: 'config/image:1' }, { requireMigrations: false });
    expect(resolveOptions(withImage.container).image).toBe('from/env:1');
  });
});

describe('the data directory on tmpfs', () => {
  it("is the image's PGDATA, owned by the image's user", () => {
    expect(
      dataDirectoryMount({ Env: ['PGDATA=/var/lib/postgresql/18/docker'] }, 'timescale/timescaledb:2.30.2-pg18'),
    ).toEqual({ path: '/var/lib/postgresql/18/docker', options: 'rw' });
    expect(dataDirectoryMount(undefined, 'x')).toEqual({ path: '/var/lib/postgresql/data', options: 'rw' });
    expect(dataDirectoryMount({ User: 'root' }, 'x')?.options).toBe('rw');
    expect(
      dataDirectoryMount(
        { Env: ['PGDATA=/home/postgres/pgdata/data'], User: 'postgres' },
        'timescale/timescaledb-ha:pg17-ts2.30',
      ),
    ).toEqual({ path: '/home/postgres/pgdata/data', options: 'rw,uid=1000,gid=1000,mode=0700' });
    expect(dataDirectoryMount({ User: '70:71' }, 'x')?.options).toBe('rw,uid=70,gid=71,mode=0700');
    expect(dataDirectoryMount({ User: '999' }, 'x')?.options).toBe('rw,uid=999,gid=999,mode=0700');
    // a user name the kit cannot map: no tmpfs rather than a data directory initdb cannot own
    expect(dataDirectoryMount({ User: 'someone' }, 'other/image:1')).toBeUndefined();
  });
});
