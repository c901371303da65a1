import pg from 'pg';
import { FactoryError } from './errors.js';
import { camelCase } from './naming.js';

/** How a column's values travel: JS -> text parameter, and text result -> JS (see README's type table). */
export type ColumnKind =
  | 'int'
  | 'bigint'
  | 'float'
  | 'numeric'
  | 'bool'
  | 'json'
  | 'timestamp'
  | 'date'
  | 'vector'
  | 'array'
  | 'bytea'
  | 'text';

export interface ColumnInfo {
  /** Column name in the database. */
  readonly name: string;
  /** camelCase key in rows. */
  readonly key: string;
  /** SQL type without modifiers, as `format_type` prints it (safe to cast to). */
  readonly type: string;
  /** The type as declared, modifiers included (`numeric(24,8)`, `character varying(5)`), for messages. */
  readonly declared: string;
  /** Name of the (base) type in pg_type: `int2`, `numeric`, `varchar` ... */
  readonly base: string;
  readonly kind: ColumnKind;
  /** `numeric(precision, scale)`: both set when the column declares them. */
  readonly precision: number | undefined;
  readonly scale: number | undefined;
  /** `varchar(n)` / `char(n)`: at most n characters. */
  readonly maxLength: number | undefined;
  /** Declared dimension of a `vector(n)` column. */
  readonly dimension: number | undefined;
  /** `GENERATED ALWAYS AS IDENTITY`: needs OVERRIDING SYSTEM VALUE to be given. */
  readonly identityAlways: boolean;
  /** `GENERATED ALWAYS AS (...) STORED`: never inserted. */
  readonly generated: boolean;
  /** pg_type's category of the type (`S` strings, `E` enums, `N` numbers ...). */
  readonly category: string;
  /**
   * What the database fills in when the column is left out, as an expression of the declared
   * type: the column's default, its identity's `nextval(...)`, or its domain's default.
   */
  readonly defaultSql: string | undefined;
}

export interface TableInfo {
  readonly table: string;
  /** Escaped, schema-qualified name for statements. */
  readonly sql: string;
  readonly columns: readonly ColumnInfo[];
  readonly byKey: ReadonlyMap<string, ColumnInfo>;
  /** `RETURNING` list: every column as text, aliased c0, c1, ... in column order. */
  readonly returning: string;
  /**
   * COPY writes into it as INSERT would: a table or partitioned table without INSERT rules
   * (COPY does not apply rules) or row-level security (COPY FROM does not support it).
   */
  readonly copyable: boolean;
  /**
   * A stored row is what was written: no BEFORE INSERT row trigger (TimescaleDB's insert
   * blocker aside, which never fires) and no generated column can change it.
   */
  readonly echoes: boolean;
}

const KINDS: Record<string, ColumnKind> = {
  int2: 'int',
  int4: 'int',
  oid: 'int',
  int8: 'bigint',
  float4: 'float',
  float8: 'float',
  numeric: 'numeric',
  bool: 'bool',
  json: 'json',
  jsonb: 'json',
  timestamptz: 'timestamp',
  timestamp: 'timestamp',
  date: 'date',
  vector: 'vector',
  bytea: 'bytea',
};

function catalogSql(where: string): string {
  return `
SELECT c.oid::regclass::text AS regclass, format('%I.%I', n.nspname, c.relname) AS qualified, n.nspname AS schema, c.relname AS relation, a.attname AS name,
       format_type(a.atttypid, NULL) AS type, format_type(a.atttypid, a.atttypmod) AS declared,
       COALESCE(bt.typname, t.typname) AS base,
       COALESCE(bt.typcategory, t.typcategory)::text AS category,
       (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)::text AS typmod,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       CASE WHEN a.attgenerated <> '' THEN NULL
            WHEN a.attidentity <> ''
            THEN format('nextval(%L::regclass)', pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
            ELSE COALESCE(pg_get_expr(d.adbin, d.adrelid), pg_get_expr(t.typdefaultbin, 0)) END AS default_sql,
       (c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
         AND NOT EXISTS (SELECT FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.ev_type = '3'))::text AS copyable,
       (NOT EXISTS (SELECT FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
                     WHERE g.tgrelid IN (SELECT c.oid UNION ALL SELECT relid FROM pg_partition_tree(c.oid))
                       AND g.tgtype & 7 = 7 AND g.tgenabled <> 'D'
                       AND NOT (p.proname = 'insert_blocker' AND p.pronamespace::regnamespace::text LIKE '\\_timescaledb%')))::text AS echoes
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE ${where} AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY c.oid, a.attnum`;
}

/** One table's columns, the table named as SQL would resolve it (search_path). */
export const TABLE_CATALOG = catalogSql('c.oid = to_regclass($1)');

/**
 * The columns of every user table at once (chunks, partitions and the system's and
 * TimescaleDB's own schemas left out), with the name each table resolves by.
 */
export const DATABASE_CATALOG = catalogSql(
  `c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^(pg_toast|pg_temp_|_timescaledb|timescaledb_)'`,
);

/** The column read as the text {@link decodeValue} parses (`ref`: default the column itself). */
export function selectExpression(column: ColumnInfo, ref = pg.escapeIdentifier(column.name)): string {
  switch (column.kind) {
    case 'timestamp':
      return `(extract(epoch from ${ref}) * 1000)::text`;
    case 'date':
      return `to_char(${ref}, 'YYYY-MM-DD')`;
    case 'array':
      return `to_jsonb(${ref})::text`;
    case 'bytea':
      return `encode(${ref}, 'hex')`;
    default:
      return `${ref}::text`;
  }
}

/** Precision and scale of `numeric(p, s)`, the length of `varchar(n)` / `char(n)`, from the typmod. */
function limitsOf(base: string, typmod: number): Pick<ColumnInfo, 'precision' | 'scale' | 'maxLength'> {
  const none = { precision: undefined, scale: undefined, maxLength: undefined };
  // typmods count a 4-byte header; -1 means "not declared"
  if (!(typmod >= 4)) return none;
  if (base === 'numeric') {
    const packed = typmod - 4;
    // the scale is an 11-bit signed field (negative scales since PostgreSQL 15)
    return { ...none, precision: (packed >> 16) & 0xffff, scale: ((packed & 0x7ff) ^ 1024) - 1024 };
  }
  if (base === 'varchar' || base === 'bpchar') return { ...none, maxLength: typmod - 4 };
  return none;
}

/** A table's catalog rows (one per column, in order) as the engine's description of it. */
export function describe(table: string, raw: Record<string, string | null>[]): TableInfo {
  const first = raw[0];
  if (!first) throw new FactoryError('FACTORY_TABLE', table, `table "${table}" does not exist (or has no columns)`);
  const columns: ColumnInfo[] = raw.map((row) => {
    const base = row.base ?? 'text';
    const kind: ColumnKind = row.category === 'A' ? 'array' : (KINDS[base] ?? 'text');
    const typmod = Number(row.typmod);
    const limits = limitsOf(kind === 'array' ? '' : base, typmod);
    return {
      name: row.name ?? '',
      key: camelCase(row.name ?? ''),
      type: row.type ?? 'text',
      declared: row.declared ?? row.type ?? 'text',
      base,
      kind,
      ...limits,
      dimension: kind === 'vector' && typmod > 0 ? typmod : undefined,
      identityAlways: row.identity === 'a',
      generated: row.generated === 's',
      category: row.category ?? '',
      defaultSql: row.default_sql ?? undefined,
    };
  });
  return {
    table,
    sql: `${pg.escapeIdentifier(first.schema ?? 'public')}.${pg.escapeIdentifier(first.relation ?? table)}`,
    columns,
    byKey: new Map(columns.map((column) => [column.key, column])),
    returning: columns.map((column, index) => `${selectExpression(column)} AS c${index}`).join(', '),
    copyable: first.copyable === 'true',
    echoes: first.echoes === 'true' && columns.every((column) => !column.generated),
  };
}

/** A JS value as the text PostgreSQL parses for the column's type; null stays null. */
export function encodeValue(column: ColumnInfo, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'json':
      return JSON.stringify(value);
    case 'vector':
      return Array.isArray(value) ? `[${value.join(',')}]` : scalarText(value);
    case 'array':
      return Array.isArray(value) ? arrayLiteral(value) : scalarText(value);
    case 'timestamp':
    case 'date':
      return typeof value === 'number' ? new Date(value).toISOString() : scalarText(value);
    default:
      return scalarText(value);
  }
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `{"a","b",NULL}`: every element quoted, so any text survives. */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return arrayLiteral(value);
    return `"${scalarText(value).replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${parts.join(',')}}`;
}

/** A text result back to the documented JS type of its column. */
export function decodeValue(column: ColumnInfo, text: string | null): unknown {
  if (text === null) return null;
  switch (column.kind) {
    case 'int':
    case 'float':
      return Number(text);
    case 'bigint': {
      const number = Number(text);
      return Number.isSafeInteger(number) ? number : BigInt(text);
    }
    case 'bool':
      return text === 'true';
    case 'json':
    case 'array':
      return JSON.parse(text) as unknown;
    case 'vector':
      // the exact float4 values pgvector stores, as doubles
      return (JSON.parse(text) as number[]).map(Math.fround);
    case 'timestamp':
      return new Date(Number(text));
    case 'bytea':
      return Buffer.from(text, 'hex');
    default:
      return text;
  }
}
