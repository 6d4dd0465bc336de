import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { STATEMENT_TIMEOUT_MS } from '../../db/client.js';
import {
  DATABASE_BUSY_KEEPING_TEXT,
  DATABASE_KEEPING_TEXT,
  DATABASE_UNAVAILABLE_TEXT,
} from '../../src/errors.js';
import type { TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../support/fake-slack.js';
import { buttonsIn } from '../support/slack-buttons.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { rows, serverDb, sleep } from './support.js';

/**
 * `npm start` in Slack HTTP mode, its Postgres connections through a proxy the test cuts and
 * restores again and again, as a flaky network does. A kept click must stay kept however often
 * the database goes. A multiple-choice poll, so a click applied twice shows up as no vote at all.
 */
const ANN = { id: 'UANN', name: 'ann' };
const voters = Array.from({ length: 3 }, (_, i) => ({
  id: `UF${String(i).padStart(3, '0')}`,
  name: `v${i}`,
}));

interface World {
  readonly db: TestDb;
  readonly fake: FakeSlack;
  readonly proxy: DbProxy;
  readonly copro: CoproProcess;
}
let world: Partial<World> = {};

async function start(): Promise<World> {
  const db = await serverDb();
  world = { db };
  const fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      ...voters.map((v) => ({ id: v.id, name: v.name, displayName: v.name })),
    ],
  });
  world = { ...world, fake };
  const target = new URL(db.location);
  const proxy = await startDbProxy(target.hostname, Number(target.port || 5432));
  world = { ...world, proxy };
  const copro = await startSlackProcess(fake, { DATABASE_URL: proxy.urlFor(db.location), LOG_LEVEL: 'warn' });
  world = { ...world, copro };
  return { db, fake, proxy, copro };
}

afterEach(async () => {
  world.proxy?.restore();
  await world.copro?.kill();
  await world.proxy?.close();
  await world.fake?.close();
  await world.db?.close();
  world = {};
});

const count = async (db: TestDb, table: 'inbox') =>
  (await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]?.n ?? 0;

const votesNow = async (db: TestDb) =>
  new Map(
    (
      await rows<{ user_id: string; choices: number[] }>(
        db,
        sql`select m.user_id, v.choices from poll_votes v join members m on m.id = v.member_id`,
      )
    ).map((v) => [v.user_id, v.choices]),
  );

/** A group with every voter in it, and a multiple-choice poll: its first button, and the message. */
async function pollReady({ copro, db, fake }: World) {
  await copro.driver.command('setup', { userId: ANN.id, channelId: 'C0HOME' });
  for (const v of voters)
    await copro.driver.event({ type: 'member_joined_channel', user: v.id, channel: 'C0HOME' });
  await until(async () => (await count(db, 'inbox')) === 0, 'every join to be handled', 60_000);
  await copro.driver.command('poll "Which days suit you?" "Monday" "Tuesday" --multi', { userId: ANN.id });
  const posted: FakeSlackCall = await until(
    () => fake.callsTo('chat.postMessage').find((c) => String(c.body.text).includes('Which days suit you?')),
    'the poll to be posted',
    60_000,
  );
  const [monday] = buttonsIn(posted);
  if (!monday) throw new Error('the poll has no buttons');
  const ts = (posted.answer as { ts: string }).ts;
  // Let the poll's own work settle, so the clicks below are what the database is doing.
  await until(async () => (await count(db, 'inbox')) === 0, 'the poll command to be handled', 60_000);
  return (v: (typeof voters)[number]) =>
    copro.driver.click({ user: v, actionId: monday.action_id, value: monday.value, messageTs: ts });
}

/**
 * Cuts the database off each time copro records an event as handled, `times` times, and lets it
 * back `backAfterMs` later if given. Returns how many cuts so far.
 */
function cutEachTry(proxy: DbProxy, times: number, backAfterMs?: number): () => number {
  let cuts = 0;
  const arm = () =>
    proxy.watch('processed_events', () => {
      cuts++;
      proxy.cut();
      if (backAfterMs !== undefined) setTimeout(() => proxy.restore(), backAfterMs);
      if (cuts < times) arm();
    });
  arm();
  return () => cuts;
}

const textsTo = (fake: FakeSlack, responseId: string) =>
  fake
    .callsTo('response_url')
    .filter((c) => c.responseUrlId === responseId)
    .map((c) => String(c.body.text));

describe('the database cut off again and again', () => {
  it('counts a kept click once, and never tells its person to try again, however many tries the cuts meet', async () => {
    const w = await start();
    const vote = await pollReady(w);
    const [ada] = voters;
    if (!ada) throw new Error('no voters');
    // Each try of the click is cut off as it records that the click was handled, five times.
    const cuts = cutEachTry(w.proxy, 5);
    const { response, responseId } = await vote(ada);
    expect(response.status).toBe(200);
    await until(async () => cuts() === 1, 'the first try to be cut off', 30_000);
    // Long enough for copro to tell Ada her click is kept.
    await until(
      async () => textsTo(w.fake, responseId).includes(DATABASE_KEEPING_TEXT),
      'Ada to hear her click is kept',
      30_000,
    );
    // Back for a moment, again and again: each time, copro tries again, and is cut off.
    for (let i = 0; i < 8 && cuts() < 5; i++) {
      const before = cuts();
      w.proxy.restore();
      await until(async () => cuts() > before, 'another try', 15_000).catch(() => undefined);
      await sleep(1_500);
    }
    expect(cuts()).toBe(5);
    w.proxy.restore();
    await until(async () => (await votesNow(w.db)).has(ada.id), 'her vote to be counted', 60_000);
    await until(async () => (await count(w.db, 'inbox')) === 0, 'the inbox to be empty', 60_000);
    expect((await votesNow(w.db)).get(ada.id)).toEqual([0]);
    expect(textsTo(w.fake, responseId)).not.toContain(DATABASE_UNAVAILABLE_TEXT);
    expect(w.copro.child.exitCode).toBeNull();
  });

  it('counts a kept click once when each of its tries meets the database gone for a moment', async () => {
    const w = await start();
    const vote = await pollReady(w);
    const [, bo] = voters;
    if (!bo) throw new Error('no voters');
    // Each try is cut off as it records the click, and the database is back 30 ms later: each
    // time copro looks, it answers.
    const cuts = cutEachTry(w.proxy, 5, 30);
    const { response, responseId } = await vote(bo);
    expect(response.status).toBe(200);
    await until(async () => cuts() === 5, 'five tries, each cut off', 60_000).catch(() => undefined);
    expect(cuts()).toBe(5);
    await until(async () => (await votesNow(w.db)).has(bo.id), 'his vote to be counted', 60_000);
    await until(async () => (await count(w.db, 'inbox')) === 0, 'the inbox to be empty', 60_000);
    expect((await votesNow(w.db)).get(bo.id)).toEqual([0]);
    expect(textsTo(w.fake, responseId)).not.toContain(DATABASE_UNAVAILABLE_TEXT);
  });
});

describe('the votes table held locked by someone else for longer than three statement timeouts', () => {
  it('keeps the click, says so, and counts it once the lock goes', async () => {
    const w = await start();
    const vote = await pollReady(w);
    const [, , cy] = voters;
    if (!cy) throw new Error('no voters');
    const holder = postgres(w.db.location, { max: 1, onnotice: () => {} });
    try {
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.begin(async (tx) => {
        await tx`lock table poll_votes in exclusive mode`;
        locked();
        await sleep(3 * STATEMENT_TIMEOUT_MS + 10_000);
      });
      // Ended from the finally below if the test fails first; awaited on the way that passes.
      void holding.catch(() => undefined);
      await isLocked;
      const { response, responseId } = await vote(cy);
      expect(response.status).toBe(200);
      await until(
        async () => textsTo(w.fake, responseId).includes(DATABASE_BUSY_KEEPING_TEXT),
        'Cy to hear his click is kept',
        STATEMENT_TIMEOUT_MS + 15_000,
      );
      await holding;
      await until(async () => (await votesNow(w.db)).has(cy.id), 'his vote to be counted', 60_000);
      expect((await votesNow(w.db)).get(cy.id)).toEqual([0]);
      expect(textsTo(w.fake, responseId)).not.toContain(DATABASE_UNAVAILABLE_TEXT);
      expect(textsTo(w.fake, responseId)).not.toContain(DATABASE_KEEPING_TEXT);
    } finally {
      await holder.end({ timeout: 1 });
    }
  });
});
