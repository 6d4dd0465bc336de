import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.js';
import { testDatabaseUrl } from '../../src/config.js';

/** What an admin sees when DATABASE_URL points somewhere copro cannot use. */
async function failure(databaseUrl: string): Promise<string> {
  const opened = await openDb({ databaseUrl, dataDir: '' }).then(
    async (db) => {
      await db.close();
      return undefined;
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  if (opened === undefined) throw new Error(`expected ${databaseUrl} to fail`);
  return opened;
}

describe('a database copro cannot reach', () => {
  it('is named by host and port, with the reason, and never the password', async () => {
    const message = await failure('postgres://copro:hunter2@127.0.0.1:1/copro');
    expect(message).toBe(
      'copro could not reach the database at 127.0.0.1:1 (connection refused). Check DATABASE_URL.',
    );
  });

  it('says when no computer has that name', async () => {
    expect(await failure('postgres://copro@db.example.invalid:5432/copro')).toBe(
      'copro could not reach the database at db.example.invalid:5432 (no computer by that name was found). Check DATABASE_URL.',
    );
  });

  const server = testDatabaseUrl();
  it.runIf(server)('on a server: says when the database named in the URL does not exist', async () => {
    const url = new URL(server as string);
    url.pathname = '/copro_no_such_database';
    expect(await failure(url.toString())).toBe(
      `copro could not reach the database at ${url.hostname}:${url.port || '5432'} (it has no database called copro_no_such_database). Check DATABASE_URL.`,
    );
  });
});
