import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE_TEXT } from '../../src/errors.js';
import type { TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { multiChoicePollFor, rows, serverDb, sleep } from './support.js';

/**
 * `npm start` in Slack HTTP mode on a Postgres server that ends every one of copro's sessions,
 * twice, in the middle of a burst of 200 votes: what a server restarting does (an error on each
 * session, then its connection closed in good order) and what an administrator's
 * pg_terminate_backend does. Statements and transactions are on those sessions when they end.
 *
 * The driver copro uses then rolled the transaction back on the closed connection, which threw
 * from a timer and stopped the process (patches/postgres+3.4.9.patch). A multiple-choice poll, so
 * a click applied twice would take the vote back.
 */
const VOTERS = 200;
const ANN = { id: 'UANN', name: 'ann' };
const voters = Array.from({ length: VOTERS }, (_, i) => ({
  id: `UE${String(i).padStart(4, '0')}`,
  name: `voter${i}`,
}));

let fake: FakeSlack;
let db: TestDb;
let copro: CoproProcess;

beforeAll(async () => {
  db = await serverDb();
  fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      ...voters.map((v) => ({ id: v.id, name: v.name, displayName: v.name })),
    ],
  });
  copro = await startSlackProcess(fake, { DATABASE_URL: db.location, LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  // A process that stopped says why in its last log lines.
  if (copro && (await Promise.race([copro.exited.then(() => true), sleep(1_000).then(() => false)])))
    console.error(copro.stderr().slice(-3_000));
  await copro?.kill();
  await fake?.close();
  await db?.close();
});

/** Every session on copro's database that is in the middle of something, but the one asking. */
const endBusySessions = () =>
  rows<{ state: string; ended: boolean }>(
    db,
    sql`select state, pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
  );

describe("the database server ending copro's sessions in the middle of a burst of votes", () => {
  it('keeps copro serving, and counts every vote once', async () => {
    const { vote } = await multiChoicePollFor(copro, fake, db, ANN, voters);

    // A click every 5 ms. From the 30th answer until the burst is over, every 50 ms, each of
    // copro's sessions that is running a statement or holding a transaction open is ended.
    const answered = new Map<string, { status: number; responseId: string }>();
    const ended: { state: string; ended: boolean }[] = [];
    let bursting = true;
    let ending: Promise<void> | undefined;
    const keepEnding = async () => {
      while (bursting) {
        ended.push(...(await endBusySessions()));
        await sleep(50);
      }
    };
    try {
      await Promise.all(
        voters.map(async (v, i) => {
          await sleep(i * 5);
          const { response, responseId } = await vote(v);
          answered.set(v.id, { status: response.status, responseId });
          if (answered.size === 30) ending = keepEnding();
        }),
      );
      await sleep(500);
    } finally {
      bursting = false;
      await ending;
    }
    // Sessions were ended in the middle of a transaction, not only of a lone statement.
    expect(ended.filter((e) => e.ended && e.state === 'idle in transaction').length).toBeGreaterThan(0);
    expect([...answered.values()].filter((a) => a.status !== 200)).toEqual([]);

    // Whoever was told to try again does, as a member would; everyone else's click is counted.
    const votesNow = async () =>
      new Map(
        (
          await rows<{ user_id: string; choices: number[] }>(
            db,
            sql`select m.user_id, v.choices from poll_votes v join members m on m.id = v.member_id`,
          )
        ).map((v) => [v.user_id, v.choices]),
      );
    const toldToRetry = () =>
      new Set(
        fake
          .callsTo('response_url')
          .filter((c) => c.body.text === DATABASE_UNAVAILABLE_TEXT)
          .map((c) => c.responseUrlId),
      );
    await until(
      async () => {
        const inbox = await rows<{ n: number }>(db, sql`select count(*)::int as n from inbox`);
        if (inbox[0]?.n !== 0) return false;
        const counted = await votesNow();
        const told = toldToRetry();
        return voters.every((v) => counted.has(v.id) || told.has(answered.get(v.id)?.responseId ?? ''));
      },
      'every click to be counted, or its person told to try again',
      120_000,
    );
    const retrying = voters.filter((v) => toldToRetry().has(answered.get(v.id)?.responseId ?? ''));
    for (const v of retrying) expect((await vote(v)).response.status).toBe(200);
    await until(
      async () => {
        const counted = await votesNow();
        return voters.every((v) => counted.has(v.id));
      },
      'every vote to be counted',
      120_000,
    );

    const stored = await votesNow();
    for (const v of voters) expect(stored.get(v.id), v.id).toEqual([0]);
    // The same process throughout, still answering.
    expect(copro.child.exitCode).toBeNull();
    expect(await copro.health()).toBe(200);
    expect(copro.stderr()).not.toMatch(/unexpected failure; stopping/);
  });
});
