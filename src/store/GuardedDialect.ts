import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  type TransactionSettings,
} from 'kysely';
import { DatabaseUnavailableError } from '../quiz/ports.js';
import { unavailableReason } from './databaseErrors.js';
import type { DialectName } from './schema.js';
import { retryWhileBusy, SQLITE_LOCK_WAIT_MS } from './sqliteBackend.js';

/** What the guard needs from the health monitor. */
export interface AvailabilityGate {
  assertAvailable(): void;
  reportQueryFailure(): void;
}

/** SQLite supports transactional DDL; Kysely's adapter says no, which would run migrations unwrapped. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Wraps a Kysely dialect so that every driver call fails fast while the database is known down
 * and connection-level failures surface as `DatabaseUnavailableError`; on SQLite, transactions
 * take the write lock up front (`BEGIN IMMEDIATE`) so a second process waits on busy_timeout
 * instead of failing on a read→write lock upgrade.
 */
export class GuardedDialect implements Dialect {
  constructor(
    readonly inner: Dialect,
    readonly dialectName: DialectName,
    readonly gate: AvailabilityGate,
  ) {}

  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver(), this.dialectName, this.gate);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.dialectName === 'sqlite' ? new TransactionalSqliteAdapter() : this.inner.createAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: the Dialect interface itself is declared with Kysely<any>.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

function translate(error: unknown, gate: AvailabilityGate): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const reason = unavailableReason(error);
  if (reason === null) return error;
  gate.reportQueryFailure();
  return new DatabaseUnavailableError(reason, { cause: error });
}

/**
 * SQLite: retries a statement refused with SQLITE_BUSY (another process holds the write lock; the
 * statement did nothing) asynchronously for up to SQLITE_LOCK_WAIT_MS, so the event loop runs while
 * we wait. The first refusal asks the health monitor to look at once; once it reports the database
 * locked, every waiting statement gives up at once (DatabaseUnavailableError).
 */
function patientWithLocks<T>(
  dialectName: DialectName,
  gate: AvailabilityGate,
  action: () => Promise<T>,
): Promise<T> {
  if (dialectName !== 'sqlite') return action();
  let first = true;
  return retryWhileBusy(action, SQLITE_LOCK_WAIT_MS, () => {
    if (first) gate.reportQueryFailure();
    first = false;
    gate.assertAvailable();
  });
}

class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly gate: AvailabilityGate,
    readonly dialectName: DialectName,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await patientWithLocks(this.dialectName, this.gate, () =>
        this.inner.executeQuery<R>(compiledQuery),
      );
    } catch (error) {
      throw translate(error, this.gate);
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection;
}

class GuardedDriver implements Driver {
  constructor(
    readonly inner: Driver,
    readonly dialectName: DialectName,
    readonly gate: AvailabilityGate,
  ) {}

  async #guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw translate(error, this.gate);
    }
  }

  init(): Promise<void> {
    return this.#guard(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.gate.assertAvailable();
    const connection = await this.#guard(() => this.inner.acquireConnection());
    return new GuardedConnection(connection, this.gate, this.dialectName);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.dialectName === 'sqlite')
      return this.#guard(() =>
        patientWithLocks(this.dialectName, this.gate, async () => {
          await unwrap(connection).executeQuery(CompiledQuery.raw('begin immediate'));
        }),
      );
    return this.#guard(() => this.inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() =>
      patientWithLocks(this.dialectName, this.gate, () => this.inner.commitTransaction(unwrap(connection))),
    );
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(async () => {
      try {
        await this.inner.rollbackTransaction(unwrap(connection));
      } catch (error) {
        // SQLite rolls a transaction back by itself after some errors (SQLITE_FULL, SQLITE_IOERR):
        // our ROLLBACK then fails, and Kysely would throw THAT instead of the real error (a full
        // disk showed as "cannot rollback - no transaction is active").
        if (this.dialectName === 'sqlite' && /no transaction is active/i.test((error as Error).message))
          return;
        throw error;
      }
    });
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
