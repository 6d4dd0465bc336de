import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDb, openDb } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';

/**
 * A connection to the server cut, or ended by the server, while a transaction's statement is on
 * it. postgres-js 3.4.9 then rolls the transaction back on that connection itself. Unpatched
 * (patches/postgres+3.4.9.patch), it wrote that ROLLBACK to a socket already gone, a TypeError
 * thrown from a timer that nothing can catch, and copro stopped with every click it held; or the
 * connection kept the ROLLBACK as sent, and every statement given it after its reconnection
 * waited for ever.
 */
describe.runIf(testDatabaseUrl())('a connection cut in the middle of a transaction', () => {
  let test: TestDb;
  let proxy: DbProxy;
  let opened: OpenedDb;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    test = await openTestDb();
    const target = new URL(test.location);
    proxy = await startDbProxy(target.hostname, Number(target.port || 5432));
    opened = await openDb({ databaseUrl: proxy.urlFor(test.location), dataDir: '', maxConnections: 2 });
    process.on('uncaughtException', record);
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    process.off('uncaughtException', record);
    await opened?.close();
    await proxy?.close();
    await test?.close();
  });

  const cutWhenSent = (text: string) => proxy.watch(text, () => proxy.cut());
  const settled = async <T>(work: Promise<T>) =>
    work.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  /** Long enough for any write a closed connection scheduled to have run. */
  const aMoment = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('fails the transaction, and the process goes on', async () => {
    cutWhenSent('pg_sleep');
    const outcome = await settled(
      opened.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`select pg_sleep(0.5)`);
      }),
    );
    await aMoment();
    expect(outcome).toHaveProperty('error');
    expect(uncaught).toEqual([]);
  });

  it('fails the transaction when the server ends its session, and the process goes on', async () => {
    // What a server restarting, or an administrator, does to every session: an error, then the
    // connection closed in good order rather than reset.
    // Straight to the server: the proxy would turn the server's orderly close into a reset.
    let pid: number | undefined;
    const outcome = settled(
      test.db.transaction(async (tx) => {
        const rows = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
        pid = rows[0]?.pid;
        await tx.execute(sql`select pg_sleep(5)`);
      }),
    );
    while (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    await test.db.execute(sql`select pg_terminate_backend(${pid})`);
    expect(await outcome).toHaveProperty('error');
    await aMoment();
    expect(uncaught).toEqual([]);
    const rows = (await test.db.execute(sql`select 42::int as n`)) as unknown as { n: number }[];
    expect(rows[0]?.n).toBe(42);
  });

  it('answers the next statement once the database is back', async () => {
    cutWhenSent('pg_sleep');
    await settled(
      opened.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(0.5)`);
      }),
    );
    await aMoment();
    proxy.restore();
    // Both connections of the pool, so a connection the cut left unusable would show.
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        opened.db.transaction(async (tx) => {
          const rows = (await tx.execute(sql`select ${n}::int as n, pg_sleep(0.05)`)) as unknown as {
            n: number;
          }[];
          return rows[0]?.n;
        }),
      ),
    );
    expect(answers).toEqual([1, 2, 3, 4]);
    expect(uncaught).toEqual([]);
  });

  it('goes on after many transactions cut at once', async () => {
    cutWhenSent('pg_sleep');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        settled(
          opened.db.transaction(async (tx) => {
            await tx.execute(sql`select ${n}::int`);
            await tx.execute(sql`select pg_sleep(0.2)`);
          }),
        ),
      ),
    );
    await aMoment();
    expect(outcomes.every((o) => 'error' in o)).toBe(true);
    proxy.restore();
    const rows = (await opened.db.execute(sql`select 42::int as n`)) as unknown as { n: number }[];
    expect(rows[0]?.n).toBe(42);
    expect(uncaught).toEqual([]);
  });
});
