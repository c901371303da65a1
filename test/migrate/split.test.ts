import { describe, expect, it } from 'vitest';
import { outsideTransactionReason, transactionControl } from '../../src/migrate/classify.js';
import { breakpointChunks } from '../../src/migrate/formats/drizzle.js';
import { parseGoose } from '../../src/migrate/formats/goose.js';
import { naturalCompare } from '../../src/migrate/listing.js';
import { excerptAt, lineColumn, positionToIndex } from '../../src/migrate/location.js';
import { splitStatements, stripLeadingComments } from '../../src/sql/index.js';

const texts = (sql: string): string[] => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('cuts at top-level semicolons and records each statement offset', () => {
    const sql = 'SELECT 1;\n  SELECT 2 ;\nSELECT 3';
    expect(splitStatements(sql, 100)).toEqual([
      { text: 'SELECT 1;', offset: 100 },
      { text: 'SELECT 2 ;', offset: 112 },
      { text: 'SELECT 3', offset: 123 },
    ]);
  });

  it('ignores semicolons in comments, strings, identifiers and dollar quotes', () => {
    const sql = [
      '-- a; comment',
      '/* block; /* nested; */ still; */ SELECT \'a;\'\'b\' AS "x;""y";',
      "SELECT E'it\\'s; fine', e'\\\\';",
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'SELECT $1, a$b$c FROM t;',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));',
    ].join('\n');
    expect(texts(sql)).toEqual([
      'SELECT \'a;\'\'b\' AS "x;""y";',
      "SELECT E'it\\'s; fine', e'\\\\';",
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'SELECT $1, a$b$c FROM t;',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));',
    ]);
  });

  it('keeps SQL-standard routine bodies (BEGIN ATOMIC ... END) whole', () => {
    const routine =
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); SELECT CASE WHEN true THEN 1 END; END;';
    expect(texts(`${routine}\nBEGIN;\nCOMMIT;`)).toEqual([routine, 'BEGIN;', 'COMMIT;']);
  });

  it('drops comment-only pieces and copes with unterminated quotes and comments', () => {
    expect(texts('-- only a comment\n/* and this */\n')).toEqual([]);
    expect(texts("SELECT 'open")).toEqual(["SELECT 'open"]);
    expect(texts('SELECT $$ open')).toEqual(['SELECT $$ open']);
    expect(texts('SELECT 1 /* open')).toEqual(['SELECT 1 /* open']);
    expect(stripLeadingComments('  -- x\n/* y */ SELECT 1')).toBe('SELECT 1');
  });
});

describe('statement classification', () => {
  it('recognises transaction control', () => {
    expect(transactionControl('-- x\nbegin;')).toBe('BEGIN');
    expect(transactionControl('START  TRANSACTION ISOLATION LEVEL SERIALIZABLE;')).toBe('START TRANSACTION');
    expect(transactionControl('COMMIT;')).toBe('COMMIT');
    expect(transactionControl('ROLLBACK TO SAVEPOINT s;')).toBeUndefined();
    expect(transactionControl('SELECT 1;')).toBeUndefined();
  });

  it('recognises continuous-aggregate statements that cannot run in a transaction block', () => {
    const cagg = `CREATE MATERIALIZED VIEW ticks_hourly WITH (timescaledb.continuous) AS
      SELECT time_bucket('1 hour', time) AS bucket, symbol, avg(price) FROM ticks GROUP BY 1, 2`;
    expect(outsideTransactionReason(`${cagg};`)).toMatch(/continuous aggregate/);
    expect(
      outsideTransactionReason(
        `/* c */ ${cagg.replace('timescaledb.continuous', 'timescaledb.continuous = true')} WITH DATA;`,
      ),
    ).toBeDefined();
    expect(outsideTransactionReason(`${cagg}\n  WITH NO DATA;`)).toBeUndefined();
    expect(outsideTransactionReason('CREATE MATERIALIZED VIEW mv AS SELECT 1;')).toBeUndefined();
    expect(outsideTransactionReason("CALL refresh_continuous_aggregate('ticks_hourly', NULL, NULL);")).toMatch(
      /refresh_continuous_aggregate/,
    );
    expect(outsideTransactionReason("call public.refresh_continuous_aggregate('x', NULL, NULL);")).toBeDefined();
    expect(outsideTransactionReason("SELECT add_continuous_aggregate_policy('x', NULL, NULL, '1h');")).toBeUndefined();
  });
});

describe('locations', () => {
  it('maps a character position to a string index across astral characters', () => {
    const text = "SELECT '😀é' + x";
    expect(text.slice(positionToIndex(text, 15))).toBe('x');
    expect(positionToIndex(text, 999)).toBe(text.length);
  });

  it('gives 1-based line and column and a numbered excerpt with a caret', () => {
    const content = 'a\nbb\nccc\ndddd\neeeee\nf';
    expect(lineColumn(content, content.indexOf('ccc') + 2)).toEqual({ line: 3, column: 3 });
    expect(excerptAt(content, 3, 3, 1)).toBe(['  2 | bb', '> 3 | ccc', '    |   ^', '  4 | dddd'].join('\n'));
  });
});

describe('format parsing helpers', () => {
  it('orders names naturally', () => {
    expect(['10_a', '2_a', '1_b', '1_a', 'b', 'a10', 'a9'].sort(naturalCompare)).toEqual([
      '1_a',
      '1_b',
      '2_a',
      '10_a',
      'a9',
      'a10',
      'b',
    ]);
    expect(naturalCompare('01_a', '1_a')).toBeGreaterThan(0);
  });

  it('cuts drizzle files at statement breakpoints, keeping offsets', () => {
    const content = 'SELECT 1;--> statement-breakpoint\nSELECT 2';
    expect(breakpointChunks(content)).toEqual([
      { text: 'SELECT 1;', offset: 0, split: true },
      { text: '\nSELECT 2', offset: 33, split: true },
    ]);
  });

  it('reads goose Up sections, statement blocks and NO TRANSACTION', () => {
    const content = [
      '-- +goose NO TRANSACTION',
      'SELECT 0;',
      '-- +goose Up',
      'SELECT 1;',
      '-- +goose StatementBegin',
      'SELECT 2; SELECT 3;',
      '-- +goose StatementEnd',
      '-- +goose ENVSUB ON',
      '-- +goose Down',
      'SELECT 4;',
    ].join('\n');
    const parsed = parseGoose(content);
    expect(parsed.hasUp).toBe(true);
    expect(parsed.noTransaction).toBe(true);
    expect(parsed.chunks.map((c) => [c.text, c.split, content.slice(c.offset, c.offset + c.text.length)])).toEqual([
      ['SELECT 1;\n', true, 'SELECT 1;\n'],
      ['SELECT 2; SELECT 3;\n', false, 'SELECT 2; SELECT 3;\n'],
    ]);
  });
});
