import pg from 'pg';
import { TimescaleTestkitError } from '../errors/index.js';
import { DEFAULT_IMAGE, officialImage } from '../image/index.js';

/*
 * What a database the kit hands out looks like, on every image and server: the contract of the
 * official `timescale/timescaledb` image, whose init (docker-entrypoint-initdb.d/
 * 000_install_timescaledb.sh) runs `CREATE EXTENSION IF NOT EXISTS timescaledb` in `postgres`,
 * `template1` and POSTGRES_DB, and whose databases are UTF8 (LANG en_US.utf8). Other extensions
 * (vector, ...) are installed but not created: migrations create them, as they must in production.
 */

/** Extensions created in every database the kit hands out (when they are among the wanted ones). */
export const PRECREATED_EXTENSIONS: readonly string[] = ['timescaledb'];

/** The encoding of every database the kit hands out. */
export const DATABASE_ENCODING = 'UTF8';

/** Of the wanted extensions, the ones a handed-out database has created. */
export function precreatedExtensions(wanted: readonly string[]): string[] {
  return PRECREATED_EXTENSIONS.filter((name) => wanted.includes(name));
}

/** A wanted extension cannot be created (usually: the image or server lacks it). */
export class ExtensionMissingError extends TimescaleTestkitError {
  readonly extension: string;
  /** The image, or for a server the kit did not start, `the server at host:port`. */
  readonly image: string;

  constructor(extension: string, image: string, detail: string) {
    const where = image.startsWith('the server at ') ? image : `image ${image}`;
    super(
      'EXTENSION_MISSING',
      `Extension "${extension}" cannot be created in ${where}: ${detail}. ` +
        `Use an image that ships it (${DEFAULT_IMAGE} carries timescaledb and vector; ` +
        `${officialImage(undefined, true)} (\`ha: true\`) carries vectorscale too), or drop it from \`extensions\`.`,
    );
    this.extension = extension;
    this.image = image;
  }
}

/** `the server at host:port` of a connection string, for messages (no credentials). */
export function serverAt(connectionString: string): string {
  const url = new URL(connectionString);
  return `the server at ${url.hostname}${url.port ? `:${url.port}` : ''}`;
}

/**
 * `CREATE EXTENSION IF NOT EXISTS` for each name in the database `client` is connected to; a
 * failure is an {@link ExtensionMissingError} naming `image`.
 */
export async function createExtensions(client: pg.ClientBase, names: readonly string[], image: string): Promise<void> {
  for (const name of names) {
    try {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${pg.escapeIdentifier(name)}`);
    } catch (error) {
      throw new ExtensionMissingError(name, image, error instanceof Error ? error.message : String(error));
    }
  }
}
