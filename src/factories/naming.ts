/** snake_case column name -> camelCase row key. */
export function camelCase(column: string): string {
  return column.replace(/_+([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/** A stable 32-bit hash (FNV-1a) used to derive per-factory seeds from names. */
export function hash32(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}
