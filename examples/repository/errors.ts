/** Every error the repository layer throws on purpose derives from this class. */
export class RepositoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The row `id` of `entity` does not exist. */
export class NotFoundError extends RepositoryError {
  readonly entity: string;
  readonly id: string;

  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`);
    this.entity = entity;
    this.id = id;
  }
}

/** `entity` `id` cannot go from state `from` to `to` (e.g. closing a closed position). */
export class InvalidTransitionError extends RepositoryError {
  readonly entity: string;
  readonly id: string;
  readonly from: string;
  readonly to: string;

  constructor(entity: string, id: string, from: string, to: string) {
    super(`${entity} ${id} cannot go from ${from} to ${to}`);
    this.entity = entity;
    this.id = id;
    this.from = from;
    this.to = to;
  }
}

/** An argument was refused before it reached the database. */
export class ValidationError extends RepositoryError {
  readonly entity: string;
  readonly field: string;

  constructor(entity: string, field: string, reason: string) {
    super(`${entity}.${field}: ${reason}`);
    this.entity = entity;
    this.field = field;
  }
}

/** The database refused a write: a CHECK, foreign key, unique or not-null constraint (SQLSTATE class 23). */
export class ConstraintViolationError extends RepositoryError {
  readonly entity: string;
  /** SQLSTATE, e.g. 23503 (foreign key), 23505 (unique), 23514 (check). */
  readonly sqlState: string;
  readonly constraint: string | undefined;

  constructor(entity: string, sqlState: string, constraint: string | undefined, message: string, cause: unknown) {
    super(`${entity}: ${message}`, { cause });
    this.entity = entity;
    this.sqlState = sqlState;
    this.constraint = constraint;
  }
}
