/** The parts of an image's configuration that say where and as whom PostgreSQL keeps its data. */
export interface ImageConfig {
  Env?: string[] | undefined;
  User?: string | undefined;
}

export interface DataDirectoryMount {
  /** The image's PGDATA. */
  path: string;
  /** tmpfs mount options. */
  options: string;
}

/** Users of images whose user is a name, not a number: `timescale/timescaledb-ha` runs as postgres, uid 1000. */
const KNOWN_USERS: readonly { image: RegExp; user: string; uid: string }[] = [
  { image: /(^|\/)timescaledb-ha(:|@|$)/, user: 'postgres', uid: '1000:1000' },
];

/**
 * Where to put a tmpfs for the data directory: the image's PGDATA (the official image on
 * PostgreSQL 18 moved it), owned by the user the image runs as. An image that starts as root
 * chowns the directory itself; one that runs as a user (timescale/timescaledb-ha) needs the mount
 * to belong to that user, or initdb cannot set its permissions. Undefined when the user is a name
 * the kit does not know: the data directory then stays on the container's disk.
 */
export function dataDirectoryMount(config: ImageConfig | undefined, image: string): DataDirectoryMount | undefined {
  const pgdata = (config?.Env ?? []).find((entry) => entry.startsWith('PGDATA='));
  const path = pgdata ? pgdata.slice('PGDATA='.length) : '/var/lib/postgresql/data';
  const user = config?.User?.trim() ?? '';
  if (user === '' || user === 'root' || user === '0' || user.startsWith('0:')) return { path, options: 'rw' };
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  const known = KNOWN_USERS.find((entry) => entry.image.test(image) && entry.user === user.split(':')[0]);
  const [uid, gid] = numeric ? [numeric[1], numeric[2] ?? numeric[1]] : (known?.uid.split(':') ?? []);
  if (uid === undefined || gid === undefined) return undefined;
  return { path, options: `rw,uid=${uid},gid=${gid},mode=0700` };
}
