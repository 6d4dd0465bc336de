import { type SQL, sql } from 'drizzle-orm';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';
import type { FakeSlack, FakeSlackCall } from '../support/fake-slack.js';
import { buttonsIn } from '../support/slack-buttons.js';
import { type CoproProcess, until } from '../support/slack-process.js';

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

export interface Voter {
  readonly id: string;
  readonly name: string;
}

/**
 * Through copro's Slack process: `coordinator` sets up C0HOME, every voter joins it (all handled
 * before going on, so that later the clicks, not the joins, are what copro is busy with), and a
 * multiple-choice poll goes out, so that a click applied twice would take the vote back.
 * Returns how a voter clicks "Monday".
 */
export async function multiChoicePollFor(
  copro: CoproProcess,
  fake: FakeSlack,
  db: TestDb,
  coordinator: Voter,
  voters: readonly Voter[],
): Promise<{ vote(v: Voter): ReturnType<CoproProcess['driver']['click']> }> {
  const { driver } = copro;
  await driver.command('setup', { userId: coordinator.id, channelId: 'C0HOME' });
  for (const v of voters)
    await driver.event({ type: 'member_joined_channel', user: v.id, channel: 'C0HOME' });
  await until(
    async () =>
      (await rows<{ n: number }>(db, sql`select count(*)::int as n from inbox where platform = 'slack'`))[0]
        ?.n === 0,
    'every join to be handled',
    60_000,
  );
  await driver.command('poll "Which day suits you?" "Monday" "Tuesday" --multi', { userId: coordinator.id });
  const posted: FakeSlackCall = await until(
    () => fake.callsTo('chat.postMessage').find((c) => String(c.body.text).includes('Which day suits you?')),
    'the poll to be posted',
    60_000,
  );
  const [monday] = buttonsIn(posted);
  if (!monday) throw new Error('the poll has no buttons');
  const ts = (posted.answer as { ts: string }).ts;
  return {
    vote: (v) => driver.click({ user: v, actionId: monday.action_id, value: monday.value, messageTs: ts }),
  };
}
