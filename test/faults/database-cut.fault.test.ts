import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KEEPING_TEXT, DATABASE_UNAVAILABLE_TEXT } from '../../src/errors.js';
import type { TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { multiChoicePollFor, rows, serverDb, sleep } from './support.js';

/**
 * `npm start` in Slack HTTP mode, its Postgres connections running through a proxy that the test
 * cuts (every connection reset, new ones refused) in the middle of a burst of 150 votes, and
 * restores twenty seconds later: longer than copro waits for the database before answering a
 * delivery it could not keep, and long enough that a click whose handling meets the cut up to ten
 * seconds in is still waiting, ten seconds later, when copro tells its person it is kept. The
 * process is never restarted.
 *
 * A multiple-choice poll, so a click applied twice takes the vote back: a vote counted twice
 * would show up as no vote at all.
 */
const VOTERS = 150;
const ANN = { id: 'UANN', name: 'ann' };
const voters = Array.from({ length: VOTERS }, (_, i) => ({
  id: `UV${String(i).padStart(4, '0')}`,
  name: `voter${i}`,
}));

let fake: FakeSlack;
let db: TestDb;
let proxy: DbProxy;
let copro: CoproProcess;

beforeAll(async () => {
  db = await serverDb();
  fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      ...voters.map((v) => ({ id: v.id, name: v.name, displayName: v.name })),
    ],
  });
  const target = new URL(db.location);
  proxy = await startDbProxy(target.hostname, Number(target.port || 5432));
  copro = await startSlackProcess(fake, { DATABASE_URL: proxy.urlFor(db.location), LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  proxy?.restore();
  await copro?.kill();
  await proxy?.close();
  await fake?.close();
  await db?.close();
});

describe('the database cut off in the middle of a burst of votes, then back', () => {
  it('loses no acknowledged vote, answers plainly while it is gone, and recovers without a restart', async () => {
    const { driver } = copro;
    const { vote } = await multiChoicePollFor(copro, fake, db, ANN, voters);

    // Votes arrive every 20 ms. After the 30th answer the database slows (each exchange held
    // 200 ms), so that clicks wait in the inbox to be counted. From the 40th answer, it goes as
    // soon as five clicks are kept and not yet counted, however busy the machine: those are
    // being counted, or wait their turn, when it goes. It comes back, at full speed, 20 s later.
    const answered = new Map<string, { status: number; responseId: string }>();
    let cutAt: number | undefined;
    let whileDown: Awaited<ReturnType<typeof driver.command>> | undefined;
    // Deliveries only: the answers held meanwhile are kept in the inbox too, under their own name.
    const keptNotCounted = async () =>
      (await rows<{ n: number }>(db, sql`select count(*)::int as n from inbox where platform = 'slack'`))[0]
        ?.n ?? 0;
    let outage: Promise<void> | undefined;
    const cutOnceClicksWait = async () => {
      await until(async () => (await keptNotCounted()) >= 5, 'five clicks kept and not yet counted', 60_000);
      cutAt = Date.now();
      proxy.cut();
      await sleep(1_000);
      whileDown = await driver.command('polls', { userId: ANN.id });
      await sleep(19_000);
      proxy.delay(0);
      proxy.restore();
    };
    const burst = voters.map(async (v, i) => {
      await sleep(i * 20);
      const { response, responseId } = await vote(v);
      answered.set(v.id, { status: response.status, responseId });
      if (answered.size === 30) proxy.delay(200);
      if (answered.size === 40) outage = cutOnceClicksWait();
    });
    await Promise.all(burst);
    await outage;
    expect(cutAt).toBeDefined();

    // A command typed while it was gone was answered in plain words: at once that the database is
    // out of reach, or, if copro could not yet tell a lost database from a slow one, through
    // response_url once it knew: the answer itself if the database came back in time.
    expect(whileDown?.response.status).toBe(200);
    const atOnce = (whileDown?.response.json as { text?: string } | undefined)?.text;
    const later = async () =>
      fake.callsTo('response_url').find((c) => c.responseUrlId === whileDown?.responseId)?.body.text;
    const answer = atOnce ?? (await until(later, 'an answer to the command typed while it was gone', 60_000));
    expect([DATABASE_UNAVAILABLE_TEXT, expect.stringContaining('Which day suits you?')]).toContainEqual(
      answer,
    );

    // Every click was answered; those that could not be kept were told so in plain words.
    expect([...answered.values()].filter((a) => a.status !== 200)).toEqual([]);
    const toldToRetry = () =>
      new Set(
        fake
          .callsTo('response_url')
          .filter((c) => c.body.text === DATABASE_UNAVAILABLE_TEXT)
          .map((c) => c.responseUrlId),
      );
    await until(async () => (await copro.health()) === 200, 'copro to reach its database again', 60_000);
    // Every click comes to an end with no restart: its vote counted, or its person told to try
    // again (a click acknowledged while the database was merely slow to keep it is told late).
    const votesNow = async () =>
      new Map(
        (
          await rows<{ user_id: string; choices: number[] }>(
            db,
            sql`select m.user_id, v.choices from poll_votes v join members m on m.id = v.member_id`,
          )
        ).map((v) => [v.user_id, v.choices]),
      );
    await until(
      async () => {
        const inbox = await rows<{ n: number }>(db, sql`select count(*)::int as n from inbox`);
        if (inbox[0]?.n !== 0) return false;
        const counted = await votesNow();
        const told = toldToRetry();
        return voters.every((v) => counted.has(v.id) || told.has(answered.get(v.id)?.responseId ?? ''));
      },
      'every click to be counted, or its person told to try again, with no restart',
      120_000,
    );
    const told = toldToRetry();
    expect(told.size).toBeGreaterThan(0);
    // Nobody is told to try again whose vote counted after all (their retry would take it back),
    // and whoever heard their click was kept finds it counted.
    const countedBeforeRetry = await votesNow();
    expect(
      voters.filter((v) => told.has(answered.get(v.id)?.responseId ?? '') && countedBeforeRetry.has(v.id)),
    ).toEqual([]);
    const toldKept = new Set(
      fake
        .callsTo('response_url')
        .filter((c) => c.body.text === DATABASE_KEEPING_TEXT)
        .map((c) => c.responseUrlId),
    );
    // The clicks being handled when it went waited longer than copro waits before answering.
    expect(toldKept.size).toBeGreaterThan(0);
    expect(
      voters.filter(
        (v) => toldKept.has(answered.get(v.id)?.responseId ?? '') && !countedBeforeRetry.has(v.id),
      ),
    ).toEqual([]);

    // Those told to try again do, as a member would.
    const retrying = voters.filter((v) => told.has(answered.get(v.id)?.responseId ?? ''));
    for (const v of retrying) expect((await vote(v)).response.status).toBe(200);
    await until(
      async () => {
        const counted = await votesNow();
        return retrying.every((v) => counted.has(v.id));
      },
      'the retried clicks to be counted',
      120_000,
    );
    await until(
      async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from inbox`))[0]?.n === 0,
      'the inbox to be empty',
      120_000,
    );

    const votes = await rows<{ user_id: string; choices: number[] }>(
      db,
      sql`select m.user_id, v.choices from poll_votes v join members m on m.id = v.member_id`,
    );
    const stored = new Map(votes.map((v) => [v.user_id, v.choices]));
    expect(votes.length).toBe(stored.size);
    const missing = voters.filter((v) => !stored.has(v.id) || stored.get(v.id)?.[0] !== 0).map((v) => v.id);
    expect(missing).toEqual([]);
    for (const v of voters) expect(stored.get(v.id)).toEqual([0]);
    // The same process throughout.
    expect(copro.child.exitCode).toBeNull();
  });
});
