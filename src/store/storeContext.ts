/** What every repository shares: the query builder, the dialect, the clock and error accounting. */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import {
  AttemptNotInProgressError,
  DatabaseUnavailableError,
  QuestionNotFoundError,
  QuizNameTakenError,
  QuizNotFoundError,
} from '../quiz/ports.js';
import { unavailableReason } from './databaseErrors.js';
import type { DialectName, StoreSchema } from './schema.js';

export type Executor = Kysely<StoreSchema> | Transaction<StoreSchema>;

export interface StoreContext {
  db: Kysely<StoreSchema>;
  dialect: DialectName;
  clock: Clock;
  /** Counts a failed operation (`badgey_db_errors_total{operation}`); not called for domain outcomes. */
  onError(operation: string, error: unknown): void;
}

function isDomainOutcome(error: unknown): boolean {
  return (
    error instanceof QuizNotFoundError ||
    error instanceof QuestionNotFoundError ||
    error instanceof QuizNameTakenError ||
    error instanceof AttemptNotInProgressError ||
    error instanceof RangeError
  );
}

/** Runs one repository operation, counting real failures under its (closed-set) operation name. */
export async function runOperation<T>(
  ctx: StoreContext,
  operation: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isDomainOutcome(error)) throw error;
    ctx.onError(operation, error);
    // Failures outside the driver (e.g. a query after close()) still surface as the typed error.
    const reason = error instanceof DatabaseUnavailableError ? null : unavailableReason(error);
    throw reason === null ? error : new DatabaseUnavailableError(reason, { cause: error });
  }
}

/** `runOperation` with the work in one transaction (rolled back when it throws). */
export function runTransaction<T>(
  ctx: StoreContext,
  operation: string,
  work: (trx: Transaction<StoreSchema>) => Promise<T>,
): Promise<T> {
  return runOperation(ctx, operation, () => ctx.db.transaction().execute(work));
}

/** Rows come back as numbers on both dialects (int8 is parsed on our pg pool); this guards the rest. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  return 0;
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function checkLimit(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max} (got ${value})`);
  return value;
}
