import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../support/fake-slack.js';
import { buttonsIn } from '../support/slack-buttons.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';

/**
 * `npm start` in Slack HTTP mode on a Postgres server, killed (SIGKILL) in the middle of a burst
 * of 200 clicks and started again. Every click Slack saw acknowledged must count exactly once.
 * Runs only with TEST_DATABASE_URL: the embedded database lives inside the killed process.
 */
const onServer = Boolean(testDatabaseUrl());
const VOTERS = 200;
const ANN = { id: 'UANN', name: 'ann' };
const voters = Array.from({ length: VOTERS }, (_, i) => ({
  id: `UV${String(i).padStart(4, '0')}`,
  name: `voter${i}`,
}));

let fake: FakeSlack;
let db: TestDb;
let copro: CoproProcess | undefined;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await db.db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

beforeAll(async () => {
  if (!onServer) return;
  fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      ...voters.map((v) => ({ id: v.id, name: v.name, displayName: v.name })),
    ],
  });
  db = await openTestDb();
});
afterAll(async () => {
  await copro?.kill();
  await fake?.close();
  await db?.close();
});

describe.runIf(onServer)('a crash in the middle of a burst of clicks (on a Postgres server)', () => {
  it('stores every acknowledged vote exactly once after SIGKILL and a restart, and keeps no click in the inbox', {
    timeout: 420_000,
  }, async () => {
    // With the encryption key, as a deployment with anonymous polls runs: deliveries are kept sealed.
    const env = {
      DATABASE_URL: db.location,
      LOG_LEVEL: 'warn',
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    copro = await startSlackProcess(fake, env);
    const { driver } = copro;
    await driver.command('setup', { userId: ANN.id, channelId: 'C0HOME' });
    // Members come from the channel: every voter joined it before the poll.
    for (const v of voters)
      await driver.event({ type: 'member_joined_channel', user: v.id, channel: 'C0HOME' });
    await driver.command('poll "Which day suits you?" "Monday" "Tuesday" --multi', { userId: ANN.id });
    const posted: FakeSlackCall = await until(
      () =>
        fake.callsTo('chat.postMessage').find((c) => String(c.body.text).includes('Which day suits you?')),
      'the poll to be posted',
      60_000,
    );
    const [monday] = buttonsIn(posted);
    if (!monday) throw new Error('the poll has no buttons');
    const ts = (posted.answer as { ts: string }).ts;

    // A multiple-choice poll: a click applied twice takes the vote back, so twice shows as none.
    const acknowledged = new Set<string>();
    const clicks = new Map<string, string>();
    let killed = false;
    const burst = voters.map(async (v, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      if (killed) return;
      const res = await driver
        .click({ user: v, actionId: monday.action_id, value: monday.value, messageTs: ts })
        .catch(() => undefined);
      if (res?.response.status === 200) acknowledged.add(v.id);
      if (res) clicks.set(v.id, res.responseId);
      if (acknowledged.size >= 60 && !killed) {
        killed = true;
        copro?.child.kill('SIGKILL');
      }
    });
    await Promise.all(burst);
    await copro.kill();
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);
    expect(acknowledged.size).toBeLessThan(VOTERS);

    copro = await startSlackProcess(fake, env);
    await until(
      async () => (await rows<{ n: number }>(sql`select count(*)::int as n from inbox`))[0]?.n === 0,
      'the inbox to empty after the restart',
      // Answers held when it was killed are kept too, and sent once they are a minute old.
      120_000,
    );
    const votes = await rows<{ user_id: string; choices: number[] }>(
      sql`select m.user_id, v.choices from poll_votes v join members m on m.id = v.member_id`,
    );
    const stored = new Map(votes.map((v) => [v.user_id, v.choices]));
    // A click the database could not take in time was answered "try again": it was not kept.
    const toldToRetry = new Set(
      fake
        .callsTo('response_url')
        .filter((c) => String(c.body.text).includes("can't reach its database"))
        .map((c) => c.responseUrlId),
    );
    for (const [id, responseId] of clicks) if (toldToRetry.has(responseId)) acknowledged.delete(id);
    expect(votes.length).toBe(stored.size);
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    for (const id of acknowledged) expect(stored.get(id)).toEqual([0]);
    expect(await rows(sql`select * from inbox`)).toEqual([]);

    // The kept clicks are counted together after the restart, so the poll shows them all within
    // seconds: redrawn once a click, it would wait on Slack's 50 edits a minute.
    const shows = `${stored.size} people voted so far.`;
    await until(
      () =>
        fake
          .callsTo('chat.update')
          .filter((c) => c.body.ts === ts)
          .at(-1)
          ?.body.text?.toString()
          .includes(shows),
      `the poll to show "${shows}"`,
      20_000,
    );
  });
});
