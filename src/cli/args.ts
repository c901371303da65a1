import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

function quoted(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/** parseArgs, strict, with its errors turned into one-line {@link UsageError}s naming the flag. */
export function parseCommand<const O extends ParseArgsOptionsConfig>(
  command: string,
  argv: readonly string[],
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals, allowNegative: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const subject = quoted(message)?.split(' ')[0] ?? message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option ${subject} for ${command}`, command);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`unexpected argument "${subject}" for ${command}`, command);
    }
    throw new UsageError(
      message.includes('argument missing') ? `option ${subject} needs a value` : `${command}: ${message}`,
      command,
    );
  }
}

/** A whole number from a flag (`--sessions 3`), at least `min`; anything else is a usage error naming the flag. */
export function wholeNumber(
  command: string,
  flag: string,
  value: string | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${value}"`, command);
  }
  return parsed;
}

/** `--symbols BTCUSDT,ETHUSDT` as a list, upper-cased, without blanks. */
export function list(value: string | undefined, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  return value
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter(Boolean);
}

/** The database URL of `migrate` and `seed`: the flag, else TIMESCALE_TESTKIT_URL, else DATABASE_URL. */
export function databaseUrl(command: string, flag: string | undefined, fallback?: string): string {
  const url = flag || process.env.TIMESCALE_TESTKIT_URL || fallback || process.env.DATABASE_URL;
  if (!url) {
    throw new UsageError(
      `${command} needs a database: pass --url, or set TIMESCALE_TESTKIT_URL or DATABASE_URL`,
      command,
    );
  }
  try {
    new URL(url);
  } catch {
    throw new UsageError(
      `${command}: "${url}" is not a URL (expected postgres://user:password@host:port/database)`,
      command,
    );
  }
  return url;
}
