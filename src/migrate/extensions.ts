import pg from 'pg';
import { DEFAULT_IMAGE } from '../image/index.js';

interface KnownExtension {
  name: string;
  functions?: readonly string[];
  types?: readonly string[];
  accessMethods?: readonly string[];
  operatorClasses?: RegExp;
  /** Schemas and reloption namespaces only the extension brings. */
  namespaces?: readonly string[];
}

/** Extensions whose functions, types, access methods and namespaces a migration commonly uses. */
const KNOWN: readonly KnownExtension[] = [
  {
    name: 'timescaledb',
    functions: [
      'create_hypertable',
      'create_distributed_hypertable',
      'add_dimension',
      'by_range',
      'by_hash',
      'set_chunk_time_interval',
      'set_integer_now_func',
      'time_bucket',
      'time_bucket_gapfill',
      'locf',
      'interpolate',
      'first',
      'last',
      'histogram',
      'show_chunks',
      'drop_chunks',
      'compress_chunk',
      'decompress_chunk',
      'add_retention_policy',
      'remove_retention_policy',
      'add_compression_policy',
      'remove_compression_policy',
      'add_columnstore_policy',
      'remove_columnstore_policy',
      'convert_to_columnstore',
      'convert_to_rowstore',
      'add_continuous_aggregate_policy',
      'remove_continuous_aggregate_policy',
      'refresh_continuous_aggregate',
      'add_reorder_policy',
      'add_job',
      'alter_job',
      'delete_job',
      'run_job',
      'hypertable_size',
      'hypertable_detailed_size',
      'approximate_row_count',
    ],
    namespaces: ['timescaledb', 'timescaledb_information', 'timescaledb_experimental'],
  },
  {
    name: 'vector',
    functions: [
      'l2_distance',
      'cosine_distance',
      'inner_product',
      'l1_distance',
      'vector_dims',
      'vector_norm',
      'l2_norm',
      'l2_normalize',
      'binary_quantize',
      'subvector',
      'hamming_distance',
      'jaccard_distance',
    ],
    types: ['vector', 'halfvec', 'sparsevec'],
    accessMethods: ['hnsw', 'ivfflat'],
    operatorClasses: /^(?:vector|halfvec|sparsevec)_\w+_ops$|^bit_(?:hamming|jaccard)_ops$/,
  },
  {
    name: 'pgcrypto',
    functions: ['gen_random_bytes', 'crypt', 'gen_salt', 'digest', 'hmac', 'pgp_sym_encrypt', 'pgp_sym_decrypt'],
  },
  {
    name: 'uuid-ossp',
    functions: ['uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v3', 'uuid_generate_v4', 'uuid_generate_v5'],
  },
  {
    name: 'pg_trgm',
    functions: ['similarity', 'word_similarity', 'show_trgm'],
    operatorClasses: /^g(?:in|ist)_trgm_ops$/,
  },
  { name: 'citext', types: ['citext'] },
  { name: 'hstore', types: ['hstore'] },
  { name: 'ltree', types: ['ltree', 'lquery'] },
  { name: 'postgis', types: ['geometry', 'geography'] },
];

interface Rule {
  codes: readonly string[];
  pattern: RegExp;
  owns: (known: KnownExtension, name: string) => boolean;
}

const RULES: readonly Rule[] = [
  {
    codes: ['42883'],
    pattern: /^(?:function|procedure) (?:"?\w+"?\.)?"?(\w+)"?\(/,
    owns: (known, name) => known.functions?.includes(name.toLowerCase()) ?? false,
  },
  {
    codes: ['42704'],
    pattern: /^type "(?:\w+\.)?(\w+)" does not exist/,
    owns: (known, name) => known.types?.includes(name.toLowerCase()) ?? false,
  },
  {
    codes: ['42704'],
    pattern: /^access method "(\w+)" does not exist/,
    owns: (known, name) => known.accessMethods?.includes(name) ?? false,
  },
  {
    codes: ['42704'],
    pattern: /^operator class "(\w+)" does not exist/,
    owns: (known, name) => known.operatorClasses?.test(name) ?? false,
  },
  {
    codes: ['22023'],
    pattern: /^unrecognized parameter namespace "(\w+)"/,
    owns: (known, name) => known.namespaces?.includes(name) ?? false,
  },
  {
    codes: ['3F000', '42P01'],
    pattern: /^(?:schema "|relation ")(\w+)(?:" does not exist|\.\w+" does not exist)/,
    owns: (known, name) => known.namespaces?.includes(name) ?? false,
  },
];

/** The extension a Postgres error points at (by its SQLSTATE and message), or undefined. */
export function extensionFor(code: string | undefined, message: string): string | undefined {
  for (const rule of RULES) {
    if (code === undefined || !rule.codes.includes(code)) continue;
    const name = rule.pattern.exec(message)?.[1];
    if (name === undefined) continue;
    const known = KNOWN.find((candidate) => rule.owns(candidate, name));
    if (known) return known.name;
  }
  return undefined;
}

/** `CREATE EXTENSION IF NOT EXISTS name;`, the name quoted only when it must be (`"uuid-ossp"`). */
export function createExtensionStatement(name: string): string {
  const id = /^[a-z_][a-z0-9_]*$/.test(name) ? name : pg.escapeIdentifier(name);
  return `CREATE EXTENSION IF NOT EXISTS ${id};`;
}

/** Where the extension stands in the database: installed (in which schema), available, or neither. */
export interface ExtensionState {
  installedIn: string | undefined;
  available: boolean;
}

/** Reads the extension's state; undefined when the database cannot be asked. */
export async function extensionState(client: pg.ClientBase, name: string): Promise<ExtensionState | undefined> {
  try {
    const { rows } = await client.query<{ schema: string | null; available: boolean }>(
      `SELECT (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = $1) AS schema,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1) AS available`,
      [name],
    );
    const row = rows[0];
    return row ? { installedIn: row.schema ?? undefined, available: row.available } : undefined;
  } catch {
    return undefined;
  }
}

/** What to do about a missing extension, given its state in the database. */
export function extensionAdvice(name: string, state: ExtensionState | undefined): string {
  const statement = createExtensionStatement(name);
  if (state?.installedIn) {
    return (
      `The extension "${name}" is installed in schema "${state.installedIn}", which is not on the search_path: ` +
      `qualify the name (${state.installedIn}.<name>), or SET search_path to include "${state.installedIn}".`
    );
  }
  if (state && !state.available) {
    return (
      `The server does not ship the extension "${name}" (it is not in pg_available_extensions): use an image that ` +
      `has it (TIMESCALE_TESTKIT_IMAGE, e.g. ${DEFAULT_IMAGE} for timescaledb and vector), or leave the statement out.`
    );
  }
  const official =
    name === 'timescaledb'
      ? ' (The official timescale/timescaledb images create it in template1, so every new database has it ' +
        "there; other images, like the kit's local one, do not: a migration that relies on it fails there.)"
      : '';
  return (
    `The extension "${name}" is ${state ? 'available on this server' : 'needed'} but not created in this database: ` +
    `add "${statement}" to this migration or an earlier one, before the first statement that uses it.${official}`
  );
}
