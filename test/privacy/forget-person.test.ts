import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { samiraRow, totals, traces } from './erasure.js';
import { afterAMembersLife, ann, bo, privacyWorld, samira, type World } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
let world: World;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  world = privacyWorld(db, clock);
  await afterAMembersLife(db, world, clock);
});

describe('/copro forget @person, for a member who asked a coordinator', () => {
  it('confirms, erases them as forget-me does, and audits only that a member’s data was erased', async () => {
    const before = await totals(db, world);
    const asked = await world.say(ann, `forget @${samira.userId}`);
    expect(asked.text).toContain(`Delete everything copro holds about <@${samira.userId}>, in every group?`);
    expect(asked.text).toContain('Do this only if they asked you to.');
    expect(asked.text).toContain('We will delete:\n• ');
    expect(asked.text).toContain('• their name, their account details, the groups they joined');
    expect(asked.text).toContain('• messages copro sent them, and reminders or other work planned for them');
    expect(asked.text).toContain('What stays, without their name:\n• ');
    // No line of what goes or stays reads as if the coordinator's own data were meant.
    const listed = asked.text.split('\n').filter((line) => line.startsWith('• '));
    expect(listed.length).toBeGreaterThan(5);
    expect(listed.filter((line) => /\byour?\b/i.test(line))).toEqual([]);
    expect(await samiraRow(db)).toBeDefined();

    const refused = await world.press(bo, asked.last, 'Yes, delete their data');
    expect(refused.text).toContain(
      'Only the coordinator who asked can say yes to this. Nothing was deleted.',
    );
    expect(await samiraRow(db)).toBeDefined();

    const done = await world.press(ann, asked.last, 'Yes, delete their data');
    expect(done.text).toContain('copro has deleted everything it held about them.');
    expect(await samiraRow(db)).toBeUndefined();
    expect(await traces(db)).toEqual([]);
    expect(await totals(db, world)).toEqual(before);
    const audits = await db.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, 'member.erased'));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ targetMemberId: null, details: {} });
  });

  it('is for coordinators only, and says so when copro holds nothing about the person', async () => {
    expect((await world.say(bo, `forget @${samira.userId}`)).text).toContain('Only coordinators');
    expect((await world.say(ann, 'forget @nobody9')).text).toBe(
      'copro holds nothing about <@nobody9>, so there is nothing to delete.',
    );
    expect((await world.say(ann, 'forget @ann')).text).toBe(
      'To delete your own data, type /copro forget-me.',
    );
    expect(await samiraRow(db)).toBeDefined();
  });
});
