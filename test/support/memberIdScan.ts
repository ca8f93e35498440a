/**
 * Reads a Badgey database the way an auditor would: every table and every column the schema
 * has (not a list kept in the code), looking for a member's id anywhere in a value, JSON text
 * included. Kysely's own bookkeeping tables are left out.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export interface ColumnRef {
  table: string;
  column: string;
}

export interface Hit extends ColumnRef {
  rows: number;
}

const BOOKKEEPING = /^kysely_/;

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema's tables and their columns, read from the database itself. */
export async function schemaColumns(url: string): Promise<ColumnRef[]> {
  if (url.startsWith('sqlite:')) {
    const file = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
    try {
      const tables = file
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .all() as { name: string }[];
      return tables
        .filter((t) => !BOOKKEEPING.test(t.name))
        .flatMap((t) =>
          (file.prepare(`pragma table_info(${quoteIdent(t.name)})`).all() as { name: string }[]).map((c) => ({
            table: t.name,
            column: c.name,
          })),
        );
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
       where table_schema = current_schema() order by table_name, ordinal_position`,
    );
    return rows
      .filter((r) => !BOOKKEEPING.test(r.table_name))
      .map((r) => ({ table: r.table_name, column: r.column_name }));
  } finally {
    await client.end();
  }
}

/** Every column where some row's value (as text) contains `id`. Empty: no row holds it. */
export async function columnsHolding(url: string, id: string): Promise<Hit[]> {
  const columns = await schemaColumns(url);
  const hits: Hit[] = [];
  const pattern = `%${id}%`;
  if (url.startsWith('sqlite:')) {
    const file = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
    try {
      for (const { table, column } of columns) {
        const row = file
          .prepare(
            `select count(*) as n from ${quoteIdent(table)} where cast(${quoteIdent(column)} as text) like ?`,
          )
          .get(pattern) as { n: number };
        if (row.n > 0) hits.push({ table, column, rows: row.n });
      }
    } finally {
      file.close();
    }
    return hits;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const { table, column } of columns) {
      const { rows } = await client.query<{ n: string }>(
        `select count(*) as n from ${quoteIdent(table)} where cast(${quoteIdent(column)} as text) like $1`,
        [pattern],
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) hits.push({ table, column, rows: n });
    }
  } finally {
    await client.end();
  }
  return hits;
}
