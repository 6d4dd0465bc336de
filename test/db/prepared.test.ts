import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * On a server each statement is prepared, so it runs in one round trip rather than two. What
 * the server holds prepared on a connection shows in pg_prepared_statements, read on the same
 * connection (a transaction's).
 */
describe.runIf(testDatabaseUrl())('statements on a Postgres server', () => {
  let test: TestDb;
  beforeAll(async () => {
    test = await openTestDb();
  });
  afterAll(() => test.close());

  const prepared = async (tx: Pick<TestDb['db'], 'execute'>) => {
    const rows = (await tx.execute(sql`select statement from pg_prepared_statements`)) as unknown as {
      statement: string;
    }[];
    return [...rows].map((r) => r.statement);
  };

  it('are prepared, in a transaction and in a savepoint inside it', async () => {
    const seen = await test.db.transaction(async (tx) => {
      await tx.select().from(schema.groups).where(eq(schema.groups.name, 'Tuesday group'));
      const inSavepoint = await tx.transaction(async (inner) => {
        await inner.select().from(schema.members).where(eq(schema.members.userId, 'U1'));
        return prepared(inner);
      });
      return inSavepoint;
    });
    expect(seen.some((s) => /from "groups" where "groups"\."name" = \$1/.test(s))).toBe(true);
    expect(seen.some((s) => /from "members" where "members"\."user_id" = \$1/.test(s))).toBe(true);
  });

  it('give the same answers when run again on the same connection', async () => {
    await test.db
      .insert(schema.groups)
      .values({ platform: 'console', workspaceId: 'local', homeChannelId: 'c1', name: 'Tuesday group' });
    const names = await test.db.transaction(async (tx) => {
      const out: string[] = [];
      for (const name of ['Tuesday group', 'Nobody', 'Tuesday group']) {
        const rows = await tx.select().from(schema.groups).where(eq(schema.groups.name, name));
        out.push(rows.map((r) => r.name).join() || '-');
      }
      return out;
    });
    expect(names).toEqual(['Tuesday group', '-', 'Tuesday group']);
  });
});
