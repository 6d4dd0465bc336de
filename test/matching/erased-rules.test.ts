import { asc, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { coreWith } from '../onboarding/support.js';
import { privacyWorld, type World } from '../privacy/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const ada = person('Ada');
const ben = person('Ben');
const cal = person('Cal');
let world: World;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  world = privacyWorld(db, clock);
  await db.startFrom('a group with Ada, Ben and Cal', async () => {
    await world.say(ann, 'setup --name "Leaflet group"');
    for (const p of [ada, ben, cal]) await world.joined(p);
  });
});

/** The people introduced to each other by rounds and newcomer buddies, as sorted user ids. */
async function introduced(): Promise<string[][]> {
  const rows = await db.db
    .select()
    .from(schema.outbox)
    .where(like(schema.outbox.purpose, '%:intro:%'))
    .orderBy(asc(schema.outbox.id));
  return rows.map((r) => [...((r.destination as unknown as { userIds: string[] }).userIds ?? [])].sort());
}

const together = (groups: string[][], a: Actor, b: Actor) =>
  groups.some((g) => g.includes(a.userId) && g.includes(b.userId));

async function forgetMe(who: Actor) {
  const asked = await world.say(who, 'forget-me');
  const done = await world.press(who, asked.last, 'Yes, delete my data');
  expect(done.text).toContain('copro has deleted everything it held about you');
}

/** Someone comes back after deleting their data: a new member record, the same account. */
async function comesBack(who: Actor) {
  await world.joined(who);
  await world.say(who, 'buddy opt-in');
}

describe('a rule that keeps two people apart, after one of them deletes their data', () => {
  it('Ada avoids Ben; Ben runs forget-me and joins again; a round never pairs them', async () => {
    for (const p of [ada, ben]) await world.say(p, 'buddy opt-in');
    await world.say(ada, `buddy avoid @${ben.userId}`);
    await forgetMe(ben);
    // What stays names nobody: no trace of Ben's account or name anywhere in it.
    const kept = await db.db.select().from(schema.matchKeptRules);
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept)).not.toMatch(/ben/i);

    await comesBack(ben);
    for (let round = 0; round < 3; round++) {
      clock.set(`2026-12-0${round + 1}T10:00:00Z`);
      const { text } = await world.say(ann, 'match run');
      expect(text).toContain('No pair could be made from the 2 members taking part');
      expect(text).not.toMatch(/avoid/i);
    }
    expect(together(await introduced(), ada, ben)).toBe(false);
    // With the rule gone (as it would be without this), the same two are paired at once.
    await db.db.delete(schema.buddyAvoids);
    await world.say(ann, 'match run');
    expect(together(await introduced(), ada, ben)).toBe(true);
  });

  it('a coordinator keeps Ada and Cal apart; Cal is erased at his request and comes back; they are not paired, until the coordinator undoes it', async () => {
    for (const p of [ada, cal]) await world.say(p, 'buddy opt-in');
    await world.say(ann, `match forbid @${ada.userId} @${cal.userId}`);
    const asked = await world.say(ann, `forget @${cal.userId}`);
    await world.press(ann, asked.last, 'Yes, delete their data');
    expect(await db.db.select().from(schema.matchRules)).toEqual([]);

    await comesBack(cal);
    const dry = await world.say(ann, 'match run --dry-run');
    expect(dry.text).toContain('No pair could be made from the 2 members taking part');
    await world.say(ann, 'match run');
    expect(together(await introduced(), ada, cal)).toBe(false);

    // Back, Cal is under the coordinator's rule like anyone: it can be undone by name.
    const undone = await world.say(ann, `match unforbid @${ada.userId} @${cal.userId}`);
    expect(undone.text).toContain('may be paired again');
    await world.say(ann, 'match run');
    expect(together(await introduced(), ada, cal)).toBe(true);
  });

  it('a newcomer who comes back is not given, as their buddy, someone who asked not to be paired with them', async () => {
    await world.say(ann, `role add @${ada.userId} buddy`);
    await world.say(ada, `buddy avoid @${ben.userId}`);
    await forgetMe(ben);
    await world.joined(ben);
    const asked = await world.say(ben, 'buddy request');
    expect(asked.text).toContain('You will hear from me as soon as one is free.');
    await world.scheduler.runDue();
    expect(together(await introduced(), ada, ben)).toBe(false);
    expect(await db.db.select().from(schema.buddyAssignments)).toEqual([]);
  });

  it('keeps the rules of people still here, and lets the erased person’s own list go with them', async () => {
    await world.say(ben, `buddy avoid @${ada.userId}`);
    await world.say(ada, `buddy avoid @${ben.userId}`);
    await forgetMe(ben);
    const kept = await db.db.select().from(schema.matchKeptRules);
    expect(kept.map((k) => k.kind)).toEqual(['avoid']);
    // Ada's copy of her data says she has such a rule, and nothing about whom.
    const adaData = await world.say(ada, 'my-data');
    expect(adaData.text).toContain('Pairing rules about people whose data was deleted: 1 entry');
    expect(adaData.text).toContain('copro keeps these pairing rules without the other person’s name');
    expect(adaData.text).not.toMatch(/\bben\b/i);
    // Someone without such a rule is not told about them.
    const annData = await world.say(ann, 'my-data');
    expect(annData.text).not.toContain('pairing rules without');
    // Ada deletes hers too: nothing of either remains.
    await forgetMe(ada);
    expect(await db.db.select().from(schema.matchKeptRules)).toEqual([]);
    expect(await db.db.select().from(schema.buddyAvoids)).toEqual([]);
  });

  it('a forbid between two people who both deleted their data holds when both come back', async () => {
    for (const p of [ada, cal]) await world.say(p, 'buddy opt-in');
    await world.say(ann, `match forbid @${ada.userId} @${cal.userId}`);
    await forgetMe(cal);
    await forgetMe(ada);
    const [kept] = await db.db.select().from(schema.matchKeptRules);
    expect(kept).toMatchObject({ kind: 'forbid', memberId: null });
    await comesBack(ada);
    await comesBack(cal);
    await world.say(ann, 'match run');
    expect(together(await introduced(), ada, cal)).toBe(false);
    expect(await db.db.select().from(schema.matchKeptRules)).toEqual([]);
    expect(await db.db.select().from(schema.matchRules)).toMatchObject([{ kind: 'forbid' }]);
  });
});

describe('without the secret kept outside the database', () => {
  it('keeps nothing that the database alone could link back to the erased person', async () => {
    await db.reset();
    const core = coreWith(db, clock);
    await core.say(ann, 'setup');
    await core.say(ada, `buddy avoid @${ben.userId}`);
    await core.say(ben, 'buddy opt-in');
    const asked = await core.say(ben, 'forget-me');
    const button = asked.said.at(-1)?.message;
    await core.press(ben, button, 'Yes, delete my data');
    expect(await db.db.select().from(schema.matchKeptRules)).toEqual([]);
    expect(await db.db.select().from(schema.buddyAvoids)).toEqual([]);
  });
});
