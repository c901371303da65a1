/** UTF-8 length of the character whose first UTF-16 unit is `code`. */
function utf8Length(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return code > 0xffff ? 4 : 3;
}

/**
 * Offset (UTF-16 index) in `text` of Postgres's 1-based error `position`, which counts characters
 * of the statement in the server's encoding: code points, except on a `SQL_ASCII` server, which
 * does not convert what the client sends (UTF-8) and counts its bytes.
 */
export function positionToIndex(text: string, position: number, serverEncoding = 'UTF8'): number {
  const bytes = serverEncoding.toUpperCase() === 'SQL_ASCII';
  let index = 0;
  let count = 1;
  while (count < position && index < text.length) {
    const code = text.codePointAt(index) ?? 0;
    count += bytes ? utf8Length(code) : 1;
    index += code > 0xffff ? 2 : 1;
  }
  return Math.min(index, text.length);
}

/** 1-based line and column of `offset` in `content`. */
export function lineColumn(content: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < content.length; i++) {
    if (content[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The lines around `line` of `content`, numbered, with a caret under `column`. */
export function excerptAt(content: string, line: number, column: number, context = 2): string {
  const lines = content.split('\n');
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\r$/, '');
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}
