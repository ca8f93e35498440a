import type { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DialectName, StoreSchema } from './schema.js';

/** What openDatabase needs of a backend: sqliteBackend.ts and postgresBackend.ts provide one each. */
export interface Backend {
  dialect: DialectName;
  kyselyDialect: SqliteDialect | PostgresDialect;
  ping(): Promise<void>;
  migrate(db: Kysely<StoreSchema>): Promise<string[]>;
  /** Closes what Kysely's destroy() leaves open (it only closes a driver it initialised). */
  close(): Promise<void>;
}
