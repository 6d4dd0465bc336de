import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder, openDb, schema } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb } from '../support/db.js';
import { expectedTables, tables } from './support.js';

/**
 * Databases built from nothing: an embedded one on disk, migrated, closed and opened again, and an
 * old schema brought up to date. Each runs every migration from the first, which takes seconds,
 * so they run beside the process tests rather than in the fast project.
 */
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

describe('upgrading a group set up before roles could be private', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The committed migrations up to and including `last`, as an older copro would have shipped them. */
  function migrationsUpTo(last: string): string {
    const folder = join(dir, last);
    cpSync(migrationsFolder, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const end = journal.entries.findIndex((e) => e.tag === last);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
    return folder;
  }

  it('makes its expert by experience and carer roles private, and leaves the others as they were', async () => {
    const client = await PGlite.create('memory://');
    try {
      const db = drizzle(client, { casing: 'snake_case' });
      await migrate(db, { migrationsFolder: migrationsUpTo('0004_matching') });
      await client.query(
        `insert into groups (platform, workspace_id, home_channel_id, name) values ('slack', 'T1', 'C1', 'Old group')`,
      );
      await client.query(
        `insert into roles (group_id, key, name, description, built_in)
         select id, k, replace(k, '-', ' '), 'as it was', b from groups,
         (values ('carer', true), ('expert-by-experience', true), ('researcher', true), ('carer-support', false)) as r(k, b)`,
      );
      await migrate(db, { migrationsFolder });
      const { rows } = await client.query<{ key: string; sensitive: boolean }>(
        'select key, sensitive from roles order by key',
      );
      expect(rows).toEqual([
        { key: 'carer', sensitive: true },
        { key: 'carer-support', sensitive: false },
        { key: 'expert-by-experience', sensitive: true },
        { key: 'researcher', sensitive: false },
      ]);
    } finally {
      await client.close();
    }
  });
});
