import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, schema } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb } from '../support/db.js';

const expectedTables = [
  'audit_log',
  'group_members',
  'groups',
  'members',
  'processed_events',
  'role_assignments',
  'roles',
];

async function tables(opened: Awaited<ReturnType<typeof openDb>>): Promise<string[]> {
  const result = await opened.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { tablename: string }[] }).rows;
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  it('apply to the test database (PGlite, or the server when TEST_DATABASE_URL is set)', async () => {
    const opened = await openTestDb();
    try {
      expect(await tables(opened)).toEqual(expect.arrayContaining(expectedTables));
    } finally {
      await opened.close();
    }
  });
});

describe('the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a restart, and reopening leaves the schema as it was', async () => {
    const first = await openDb({ dataDir: dir });
    await first.db
      .insert(schema.groups)
      .values({ platform: 'console', workspaceId: 'local', homeChannelId: 'general', name: 'Kept' });
    await first.close();

    const second = await openDb({ dataDir: dir });
    const groups = await second.db.select().from(schema.groups);
    const reopenedTables = await tables(second);
    await second.close();
    expect(groups.map((g) => g.name)).toEqual(['Kept']);
    expect(reopenedTables).toEqual(expect.arrayContaining(expectedTables));
  });
});

describe.runIf(testDatabaseUrl())('a Postgres server (only when TEST_DATABASE_URL is set)', () => {
  it('keeps its data across a reconnect, migrations running again harmlessly', async () => {
    const test = await openTestDb();
    try {
      await test.db
        .insert(schema.groups)
        .values({ platform: 'console', workspaceId: 'local', homeChannelId: 'general', name: 'Kept' });
      const again = await openDb({ databaseUrl: test.location, dataDir: '' });
      const groups = await again.db.select().from(schema.groups);
      await again.close();
      expect(groups.map((g) => g.name)).toEqual(['Kept']);
    } finally {
      await test.close();
    }
  });
});
