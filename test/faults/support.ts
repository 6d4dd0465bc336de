import type { SQL } from 'drizzle-orm';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * The fault suite breaks what is around copro's processes: the database server they share, the
 * network to it, Slack. It needs a Postgres server, so it says so plainly rather than pass by
 * testing nothing.
 */
export async function serverDb(): Promise<TestDb> {
  if (!testDatabaseUrl())
    throw new Error(
      'The fault suite needs a Postgres server: run it as TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run test:faults',
    );
  return openTestDb();
}

/** Rows of a raw query, whichever driver answered. */
export async function rows<T>(db: TestDb, query: SQL): Promise<T[]> {
  const result = await db.db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everyone in a list of tallies that appears more or fewer times than once. */
export function notExactlyOnce(counts: ReadonlyMap<string, number>, expected: readonly string[]): string[] {
  const wrong = expected.filter((k) => counts.get(k) !== 1).map((k) => `${k}: ${counts.get(k) ?? 0}`);
  for (const k of counts.keys()) if (!expected.includes(k)) wrong.push(`${k}: not expected`);
  return wrong;
}
