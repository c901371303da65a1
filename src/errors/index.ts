/** Base class of every error the kit throws; `code` is stable and machine-readable. */
export class TimescaleTestkitError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Configuration the kit was given is wrong: a bad option value, a missing folder, a malformed migrator. */
export class ConfigError extends TimescaleTestkitError {
  constructor(message: string) {
    super('CONFIG', message);
  }
}
