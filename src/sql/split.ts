/** One SQL statement cut from a larger text. */
export interface Statement {
  /** The statement as it will be sent, from its first token through its `;` (if any). */
  text: string;
  /** Offset of `text` in the file it came from. */
  offset: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function skipLineComment(sql: string, i: number): number {
  const end = sql.indexOf('\n', i);
  return end === -1 ? sql.length : end + 1;
}

function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (sql.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else {
      j++;
    }
  }
  return sql.length;
}

/** Skips a quoted literal or identifier starting at `i` (the opening quote). */
function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (backslashEscapes && ch === '\\') {
      j += 2;
    } else if (ch === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else {
      j++;
    }
  }
  return sql.length;
}

function isEscapeString(sql: string, quoteAt: number): boolean {
  const prefix = sql[quoteAt - 1];
  if (prefix !== 'e' && prefix !== 'E') return false;
  const before = sql[quoteAt - 2];
  return before === undefined || !IDENT_CHAR.test(before);
}

/** The end of a dollar-quoted string starting at `i`, or -1 when `i` does not open one. */
function skipDollarQuoted(sql: string, i: number): number {
  const before = sql[i - 1];
  if (before !== undefined && IDENT_CHAR.test(before)) return -1;
  DOLLAR_TAG.lastIndex = i;
  const match = DOLLAR_TAG.exec(sql);
  if (!match) return -1;
  const tag = match[0];
  const close = sql.indexOf(tag, i + tag.length);
  return close === -1 ? sql.length : close + tag.length;
}

/** Tracks `BEGIN ATOMIC ... END` bodies of SQL-standard routines, as psql does. */
class RoutineBody {
  #words: string[] = [];
  depth = 0;

  word(word: string): void {
    if (this.#words.length < 4) this.#words.push(word);
    if (!this.#isRoutine()) return;
    if (word === 'BEGIN') this.depth++;
    else if (word === 'CASE' && this.depth > 0) this.depth++;
    else if (word === 'END' && this.depth > 0) this.depth--;
  }

  #isRoutine(): boolean {
    const [first, second, third, fourth] = this.#words;
    if (first !== 'CREATE') return false;
    const kind = second === 'OR' && third === 'REPLACE' ? fourth : second;
    return kind === 'FUNCTION' || kind === 'PROCEDURE';
  }
}

/**
 * Cuts SQL into statements at top-level semicolons, understanding comments (nested block
 * comments too), quoted literals and identifiers, E'' escapes, dollar quoting, parentheses
 * and `BEGIN ATOMIC` routine bodies. Comment-only pieces are dropped.
 */
export function splitStatements(sql: string, baseOffset = 0): Statement[] {
  const statements: Statement[] = [];
  let start = -1;
  let parens = 0;
  let routine = new RoutineBody();
  const finish = (end: number): void => {
    if (start >= 0) statements.push({ text: sql.slice(start, end).trimEnd(), offset: baseOffset + start });
    start = -1;
    parens = 0;
    routine = new RoutineBody();
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === '-' && sql[i + 1] === '-') {
      i = skipLineComment(sql, i);
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (ch === "'") {
      i = skipQuoted(sql, i, "'", isEscapeString(sql, i));
    } else if (ch === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (ch === '$' && skipDollarQuoted(sql, i) !== -1) {
      i = skipDollarQuoted(sql, i);
    } else if (ch === '(') {
      parens++;
      i++;
    } else if (ch === ')') {
      parens--;
      i++;
    } else if (ch === ';') {
      i++;
      if (parens <= 0 && routine.depth === 0) finish(i);
    } else if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < sql.length && IDENT_CHAR.test(sql[j] as string)) j++;
      routine.word(sql.slice(i, j).toUpperCase());
      i = j;
    } else {
      i++;
    }
  }
  finish(sql.length);
  return statements;
}

/** `sql` without its leading whitespace and comments. */
export function stripLeadingComments(sql: string): string {
  let i = 0;
  while (i < sql.length) {
    if (sql.startsWith('--', i)) i = skipLineComment(sql, i);
    else if (sql.startsWith('/*', i)) i = skipBlockComment(sql, i);
    else if (/\s/.test(sql[i] as string)) i++;
    else break;
  }
  return sql.slice(i);
}
