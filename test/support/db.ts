import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type OpenedDb, openDb } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';

export interface TestDb extends OpenedDb {
  /** Empty every table, keeping the schema. Call between tests. */
  reset(): Promise<void>;
  /** Where it lives: "memory://" for PGlite, a URL for a server database. */
  readonly location: string;
}

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database
 * on the server named by TEST_DATABASE_URL, so test files running side by side never share rows.
 */
export async function openTestDb(): Promise<TestDb> {
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) {
    const opened = await openDb({ dataDir: 'memory://' });
    return { ...opened, location: 'memory://', reset: () => truncateAll(opened) };
  }
  const name = `copro_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const opened = await openDb({ databaseUrl: url.toString(), dataDir: '' });
  return {
    ...opened,
    location: url.toString(),
    reset: () => truncateAll(opened),
    close: async () => {
      await opened.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

async function truncateAll(opened: OpenedDb): Promise<void> {
  const rows = await opened.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { tablename: string }[] }).rows).map(
    (r) => `"${r.tablename}"`,
  );
  if (list.length > 0)
    await opened.db.execute(sql.raw(`truncate ${list.join(', ')} restart identity cascade`));
}
