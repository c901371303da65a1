import { TimescaleTestkitError } from '../errors/index.js';

/*
 * The one place that names images. Why this default (public sources, checked 2026-11):
 * - `timescale/timescaledb` tags are `<timescaledb version>-pg<major>` (plus `latest-pg<major>`),
 *   built by timescale/timescaledb-docker (Makefile TAG_VERSION / TAG_LATEST).
 * - PG17 tags published before 2025-04-30 installed pgvector where PostgreSQL does not look, so
 *   `CREATE EXTENSION vector` failed (timescaledb issue 7692, pgai issue 680; fixed by
 *   timescaledb-docker PR 315 "Install pgvector from source"). 2.19.3-pg17 (2025-04-15) is one.
 * - PG18 tags had no pgvector until 2026-01-05 (timescaledb-docker issue 324, PR 328,
 *   commit "Build pgvector in pg18 alpine images", pgvector 0.8.1).
 * - TimescaleDB 2.30.2 (timescaledb PR 10619, 2026-09-17) is the current release; since 2.29 it
 *   supports PostgreSQL 16, 17 and 18 (2.29 dropped 15).
 * - pgvectorscale ships only in `timescale/timescaledb-ha` (tags `pg<major>-ts<minor>`, e.g.
 *   `pg17-ts2.30`; timescaledb-docker-ha README and build_scripts/versions.yaml).
 */

/** The TimescaleDB release of the default images. */
export const TIMESCALEDB_RELEASE = '2.30.2';

/** PostgreSQL majors the images of {@link TIMESCALEDB_RELEASE} are published for. */
export const POSTGRES_MAJORS = [16, 17, 18] as const;
export type PostgresMajor = (typeof POSTGRES_MAJORS)[number];

/** The PostgreSQL major of the default image. */
export const DEFAULT_POSTGRES: PostgresMajor = 17;

/**
 * The pinned default image: TimescaleDB 2.30.2 (community edition) on PostgreSQL 17, with
 * pgvector 0.8.1 — published after the pgvector fix (see the sources above).
 */
export const DEFAULT_IMAGE = 'timescale/timescaledb:2.30.2-pg17';

/** The tag docker/local-image/build.sh builds from Debian's packages (TimescaleDB Apache edition). */
export const LOCAL_IMAGE = 'timescale-testkit/timescaledb-local:pg17';

/** Which image to run: an explicit name, or a PostgreSQL major and the HA flavour. */
export interface ImageChoice {
  /** Image name; wins over everything else. */
  image?: string | undefined;
  /** PostgreSQL major of the official image (default 17). */
  postgres?: PostgresMajor | undefined;
  /** `timescale/timescaledb-ha` (pgvectorscale, timescaledb_toolkit) instead of `timescale/timescaledb`. */
  ha?: boolean | undefined;
}

/** A `postgres` or `ha` choice that names no published image. */
export class ImageChoiceError extends TimescaleTestkitError {
  constructor(message: string) {
    super('IMAGE_CHOICE', message);
  }
}

/**
 * The official image for a PostgreSQL major: `timescale/timescaledb:2.30.2-pg16`, or the HA one.
 *
 * @example
 * ```ts
 * officialImage(18)          // 'timescale/timescaledb:2.30.2-pg18'
 * officialImage(17, true)    // the timescaledb-ha image, with pgvectorscale
 * ```
 */
export function officialImage(postgres: PostgresMajor = DEFAULT_POSTGRES, ha = false): string {
  if (!POSTGRES_MAJORS.includes(postgres)) {
    throw new ImageChoiceError(
      `postgres must be one of ${POSTGRES_MAJORS.join(', ')} (the majors TimescaleDB ${TIMESCALEDB_RELEASE} images are published for); got ${JSON.stringify(postgres)}. ` +
        'For another image set `image` (or TIMESCALE_TESTKIT_IMAGE).',
    );
  }
  if (ha) return `timescale/timescaledb-ha:pg${postgres}-ts${TIMESCALEDB_RELEASE.split('.').slice(0, 2).join('.')}`;
  return `timescale/timescaledb:${TIMESCALEDB_RELEASE}-pg${postgres}`;
}

/**
 * The image to run. Precedence: the explicit `image` option, then TIMESCALE_TESTKIT_IMAGE, then
 * the `postgres` / `ha` choice, then {@link DEFAULT_IMAGE}.
 */
export function resolveImage(choice: ImageChoice = {}, env: NodeJS.ProcessEnv = process.env): string {
  if (choice.ha !== undefined && typeof choice.ha !== 'boolean') {
    throw new ImageChoiceError(`ha must be true or false; got ${JSON.stringify(choice.ha)}`);
  }
  // validated even when an image name wins, so a typo does not wait for the day the name goes
  const chosen = officialImage(choice.postgres ?? DEFAULT_POSTGRES, choice.ha ?? false);
  if (choice.image) return choice.image;
  const fromEnv = env.TIMESCALE_TESTKIT_IMAGE?.trim();
  if (fromEnv) return fromEnv;
  return chosen;
}
