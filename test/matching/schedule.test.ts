import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { coreWith } from '../onboarding/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';

/** Buddy rounds that run by themselves: /copro match schedule and the buddy.round job. */
let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z'); // Monday
const ann = person('Ann');
const others = ['Bob', 'Cat', 'Dev', 'Eve', 'Fay'].map((name) => person(name));

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  const core = coreWith(db, clock);
  await db.startFrom('six people taking part in buddy rounds', async () => {
    await core.say(ann, 'setup --name "Leaflet group" --timezone Europe/London');
    for (const p of others) await core.joined(p);
    for (const p of [ann, ...others]) await core.say(p, 'buddy opt-in');
  });
});

const rounds = () => db.db.select().from(schema.matchRounds).orderBy(asc(schema.matchRounds.number));
const pendingRounds = async () =>
  (
    await db.db
      .select()
      .from(schema.jobs)
      .where(and(eq(schema.jobs.kind, 'buddy.round'), eq(schema.jobs.status, 'pending')))
  ).map((j) => j.runAt.toISOString());
const introductions = async () =>
  (
    await db.db
      .select()
      .from(schema.outbox)
      .where(like(schema.outbox.purpose, 'match:intro:%'))
      .orderBy(asc(schema.outbox.id))
  ).map((r) => ({
    userIds: (r.destination as unknown as { userIds: string[] }).userIds,
    text: (r.message as unknown as Message).text,
  }));

/** copro starting up again on the same database: sweeps, catch-up, then whatever is due. */
async function restart() {
  const core = coreWith(db, clock);
  await core.scheduler.start();
  await core.scheduler.stop();
  return core;
}

describe('buddy rounds on a schedule', () => {
  it('without a schedule, says rounds are run by hand and how to schedule them', async () => {
    const core = coreWith(db, clock);
    const shown = await core.say(ann, 'match schedule');
    expect(shown.text).toContain('Buddy rounds do not run by themselves');
    expect(shown.text).toContain('/copro match schedule "every 2 weeks on Monday 10:00"');
    expect(await pendingRounds()).toEqual([]);
  });

  it('runs each round once at its time, across restarts, and schedules the next', async () => {
    const core = coreWith(db, clock);
    const set = await core.say(ann, 'match schedule "every 2 weeks on Wednesday 10:00"');
    expect(set.text).toContain('every 2 weeks on Wednesdays at 10:00 (Europe/London time), in pairs');
    expect(set.text).toContain('The first is on Wednesday 25 November at 10:00');
    const shown = await core.say(ann, 'match schedule');
    expect(shown.text).toContain('Buddy rounds run every 2 weeks on Wednesdays at 10:00');
    expect(shown.text).toContain('The next is on Wednesday 25 November at 10:00');
    // Members hear the date too.
    expect((await core.say(others[0]!, 'buddy status')).text).toContain(
      'The next round is on Wednesday 25 November at 10:00.',
    );
    expect((await core.say(others[0]!, 'buddy opt-in')).text).toContain(
      'The next round is on Wednesday 25 November at 10:00.',
    );

    clock.set('2026-11-25T09:59:59Z');
    await core.scheduler.runDue();
    expect(await rounds()).toHaveLength(0);
    clock.set('2026-11-25T10:00:00Z');
    await core.scheduler.runDue();
    expect(await rounds()).toHaveLength(1);
    expect(await introductions()).toHaveLength(3);
    expect(await pendingRounds()).toEqual(['2026-12-09T10:00:00.000Z']);

    // Two restarts at the same moment change nothing.
    await restart();
    await restart();
    expect(await rounds()).toHaveLength(1);
    expect(await introductions()).toHaveLength(3);
    expect(await pendingRounds()).toEqual(['2026-12-09T10:00:00.000Z']);
  });

  it('two copros running at the round time make one round; one run by hand at that moment makes the next', async () => {
    const [a, b] = [coreWith(db, clock), coreWith(db, clock)];
    await a.say(ann, 'match schedule "every 2 weeks on Wednesday 10:00"');
    clock.set('2026-11-25T10:00:00Z');
    const [, , byHand] = await Promise.all([
      a.scheduler.runDue(),
      b.scheduler.runDue(),
      a.say(ann, 'match run'),
    ]);
    expect(byHand.text).toMatch(/Round \d is done/);
    expect((await rounds()).map((r) => r.number)).toEqual([1, 2]);
    expect(await pendingRounds()).toEqual(['2026-12-09T10:00:00.000Z']);
  });

  it('after downtime past two rounds, runs one round on catch-up, never two, and keeps its rhythm', async () => {
    const core = coreWith(db, clock);
    await core.say(ann, 'match schedule "every 2 weeks on Wednesday 10:00"');
    // copro is down from Monday until Thursday 24 December, past 25 November and 9 December.
    clock.set('2026-12-24T12:00:00Z');
    await restart();
    await restart();
    expect(await rounds()).toHaveLength(1);
    // The next is a scheduled Wednesday at least a week after the late round.
    expect(await pendingRounds()).toEqual(['2027-01-06T10:00:00.000Z']);

    clock.set('2027-01-06T10:00:00Z');
    await restart();
    expect((await rounds()).map((r) => r.number)).toEqual([1, 2]);
    expect(await pendingRounds()).toEqual(['2027-01-20T10:00:00.000Z']);
  });

  it('with one member taking part, tells them kindly there is no round and when the next is, and tells coordinators why', async () => {
    const core = coreWith(db, clock);
    for (const p of [ann, ...others.slice(1)]) await core.say(p, 'buddy opt-out');
    await core.say(ann, 'match schedule "weekly on Wednesday 10:00"');
    clock.set('2026-11-25T10:00:00Z');
    await core.scheduler.runDue();
    expect(await rounds()).toHaveLength(0);
    expect(await pendingRounds()).toEqual(['2026-12-02T10:00:00.000Z']);

    const [toBob] = (await core.dms('bob')).filter((m) =>
      m.text.includes('no Leaflet group peer buddy round'),
    );
    expect(toBob?.text).toBe(
      'There is no Leaflet group peer buddy round today. You were the only member taking part this time, ' +
        'so there was nobody to pair you with. That is nothing you did. You are still taking part, ' +
        'and the next round is on Wednesday 2 December at 10:00.',
    );
    const [toAnn] = (await core.dms('ann')).filter((m) => m.text.includes('did not run'));
    expect(toAnn?.text).toContain(
      "Today's scheduled peer buddy round of Leaflet group did not run: only one member is taking part, and at least two are needed.",
    );
    expect(toAnn?.text).toContain('The next is on Wednesday 2 December at 10:00.');
    expect(toAnn?.text).toContain('/copro match schedule off');
    // Nobody else hears anything, and running the same moment again tells no one twice.
    for (const p of others.slice(1)) {
      expect((await core.dms(p.userId)).filter((m) => m.text.includes('peer buddy round'))).toEqual([]);
    }
    await restart();
    expect((await core.dms('bob')).filter((m) => m.text.includes('no Leaflet group'))).toHaveLength(1);
  });

  it('makes groups of 3 when asked, and the introduction speaks to them all', async () => {
    const core = coreWith(db, clock);
    const set = await core.say(ann, 'match schedule "monthly on Tuesday 14:00" --size 3');
    expect(set.text).toContain('monthly, on the first Tuesday at 14:00');
    expect(set.text).toContain('in groups of 3');
    expect(set.text).toContain('Tuesday 1 December at 14:00');
    clock.set('2026-12-01T14:00:00Z');
    await core.scheduler.runDue();
    const intros = await introductions();
    expect(intros.map((i) => i.userIds.length)).toEqual([3, 3]);
    expect(intros[0]!.text).toContain('at a time that suits you all');
    const [round] = await rounds();
    expect(round!.groupSize).toBe(3);
    expect(await pendingRounds()).toEqual(['2027-01-05T14:00:00.000Z']);
  });

  it('changes only the size, or stops, with plain answers', async () => {
    const core = coreWith(db, clock);
    const early = await core.say(ann, 'match schedule --size 4');
    expect(early.text).toContain('do not run by themselves yet, so there is no size to change');
    await core.say(ann, 'match schedule "weekly on Friday 09:00"');
    const resized = await core.say(ann, 'match schedule --size 4');
    expect(resized.text).toBe('Done: scheduled buddy rounds will make groups of 4 from now on.');
    expect(await pendingRounds()).toEqual(['2026-11-27T09:00:00.000Z']);
    const stopped = await core.say(ann, 'match schedule off');
    expect(stopped.text).toContain('will no longer run by themselves');
    expect(await pendingRounds()).toEqual([]);
    const again = await core.say(ann, 'match schedule off');
    expect(again.text).toContain('were not running by themselves, so nothing changed');
    await restart();
    expect(await pendingRounds()).toEqual([]);
  });

  it('answers plainly when the schedule or the size cannot be read, and members cannot set it', async () => {
    const core = coreWith(db, clock);
    const vague = await core.say(ann, 'match schedule "now and then"');
    expect(vague.text).toContain('I could not tell how often');
    const size = await core.say(ann, 'match schedule "weekly on Friday 09:00" --size 7');
    expect(size.text).toContain('Please choose "2", "3" or "4"');
    const long = await core.say(ann, `match schedule "${'every 2 weeks '.repeat(10)}"`);
    expect(long.text).toContain('at most 100 characters');
    const member = await core.say(others[0]!, 'match schedule "weekly on Friday 09:00"');
    expect(member.text).toMatch(/coordinator/i);
    expect(await pendingRounds()).toEqual([]);
  });
});
