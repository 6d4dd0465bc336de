import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type OpenedDb, openDb } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';
import { type StartFrom, startingRows } from './starting-rows.js';

export interface TestDb extends OpenedDb {
  /** Empty every table, keeping the schema. Call between tests. */
  reset(): Promise<void>;
  /** Before a test: the rows `build` makes, made once in the file and copied back after that. */
  readonly startFrom: StartFrom;
  /** Where it lives: "memory://" for PGlite, a URL for a server database. */
  readonly location: string;
}

/** What the suite's global setup migrated once for every file; nothing outside a vitest run. */
interface Migrated {
  readonly pgliteDataDir?: string;
  readonly templateDatabase?: string;
}

async function migratedOnce(): Promise<Migrated> {
  // Helper processes that tests start (fixtures run with tsx) have no vitest to ask.
  if (!process.env.VITEST) return {};
  const { inject } = await import('vitest');
  return { pgliteDataDir: inject('pgliteDataDir'), templateDatabase: inject('templateDatabase') };
}

/**
 * One PGlite per worker process. Test files in a worker run one after another (the fast project
 * does not isolate them), so each can take it over, emptied, instead of starting its own.
 */
let workerPglite: Promise<OpenedDb> | undefined;

/**
 * A migrated database for one test file, with no rows in it: PGlite in memory by default, or a
 * new database on the server named by TEST_DATABASE_URL, so test files running side by side
 * never share rows. Both start from the schema the global setup migrated, rather than migrating
 * again.
 */
export async function openTestDb(): Promise<TestDb> {
  const serverUrl = testDatabaseUrl();
  const migrated = await migratedOnce();
  if (!serverUrl) {
    workerPglite ??= openDb({
      dataDir: 'memory://',
      loadDataDir: migrated.pgliteDataDir ? new Blob([readFileSync(migrated.pgliteDataDir)]) : undefined,
    });
    const opened = await workerPglite;
    await emptyAll(opened);
    const reset = () => emptyAll(opened);
    const { startFrom, forget } = startingRows(opened, reset, async (statements) => {
      await pgliteClient(opened).exec(statements.join(';\n'));
    });
    // Closing hands it back for the worker's next file; the process's end closes it.
    return { ...opened, location: 'memory://', reset, startFrom, close: forget };
  }
  const name = `copro_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const template = migrated.templateDatabase ? ` template "${migrated.templateDatabase}"` : '';
  await admin.unsafe(`create database "${name}"${template}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const opened = await openDb({ databaseUrl: url.toString(), dataDir: '' });
  const reset = () => truncateAll(opened);
  // One transaction, so every statement runs on the same pooled connection: the restore's
  // `set session_replication_role` holds only on the connection it was set on.
  const { startFrom } = startingRows(opened, reset, (statements) =>
    opened.db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
    }),
  );
  return {
    ...opened,
    location: url.toString(),
    reset,
    startFrom,
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

/**
 * PGlite's quick way to empty every table: delete the rows with foreign keys unchecked (every
 * table is emptied, so none is left pointing at a missing row) and start every id again at 1.
 * TRUNCATE makes new files for each table and index, which in PGlite's in-memory file system
 * costs about ten times as much, and a test file starts with it, often once per test.
 */
async function emptyAll(opened: OpenedDb): Promise<void> {
  const rows = await opened.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  const tables = (Array.isArray(rows) ? rows : (rows as { rows: { tablename: string }[] }).rows).map(
    (r) => `"${r.tablename}"`,
  );
  await pgliteClient(opened).exec(
    [
      'set session_replication_role = replica',
      ...tables.map((t) => `delete from ${t}`),
      'set session_replication_role = origin',
      `select setval(c.oid, 1, false) from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'S' and n.nspname = 'public'`,
    ].join(';\n'),
  );
}

/** Several statements in one message: PGlite's own exec, which drizzle's execute does not offer. */
function pgliteClient(opened: OpenedDb): { exec(query: string): Promise<unknown> } {
  return (opened.db as unknown as { $client: { exec(query: string): Promise<unknown> } }).$client;
}
