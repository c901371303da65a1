import { makeMigration, naturalCompare } from '../listing.js';
import type { LoadedMigration } from '../types.js';
import type { FormatReader } from './reader.js';

const VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
const ANY = /^(?:[VU]\d+(?:[._]\d+)*|R)__.+\.sql$/;

/** `1_01.0` -> `1.1`: numeric parts, trailing zeros dropped, as Flyway compares versions. */
function normalise(version: string): string {
  const parts = version.split(/[._]/).map((part) => BigInt(part).toString());
  while (parts.length > 1 && parts.at(-1) === '0') parts.pop();
  return parts.join('.');
}

/** Compares dotted versions part by part, trailing zeros ignored (1.0 = 1). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(BigInt);
  const pb = b.split('.').map(BigInt);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0n) - (pb[i] ?? 0n);
    if (diff !== 0n) return diff < 0n ? -1 : 1;
  }
  return 0;
}

/**
 * Flyway: versioned `V1__name.sql`, `V1.1__name.sql` (or `V1_1__`) in version order, then
 * repeatable `R__name.sql` in name order, re-applied when their checksum changes. Undo
 * (`U`) files are ignored.
 */
export const flyway: FormatReader = {
  format: 'flyway',
  lookingFor: 'V<version>__<name>.sql or R__<name>.sql files',
  detect: async (listing) => [...listing.sql.keys()].filter((file) => ANY.test(file)),
  load: async (listing) => {
    const versioned: { version: string; migration: LoadedMigration }[] = [];
    const repeatable: LoadedMigration[] = [];
    for (const [file, source] of listing.sql) {
      const v = VERSIONED.exec(file);
      if (v) {
        const version = normalise(v[1] as string);
        versioned.push({ version, migration: makeMigration(listing, { version, name: v[2] as string, file, source }) });
        continue;
      }
      const r = REPEATABLE.exec(file);
      if (r) {
        const name = r[1] as string;
        repeatable.push(makeMigration(listing, { version: `R__${name}`, name, file, source, repeatable: true }));
      }
    }
    versioned.sort((a, b) => compareVersions(a.version, b.version));
    repeatable.sort((a, b) => naturalCompare(a.name, b.name));
    return [...versioned.map((entry) => entry.migration), ...repeatable];
  },
};
