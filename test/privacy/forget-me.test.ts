import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { rowsPointingAt } from './coverage.js';
import { samiraRow, TRACES, totals, traces } from './erasure.js';
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

async function forgetMe() {
  const asked = await world.say(samira, 'forget-me');
  const done = await world.press(samira, asked.last, 'Yes, delete my data');
  return { asked, done };
}

describe('/copro forget-me', () => {
  it('says what will go and what stays, and deletes nothing until the person confirms', async () => {
    const { text, last } = await world.say(samira, 'forget-me');
    expect(text).toContain('We will delete:');
    expect(text).toContain('• your welcome answers, with any access needs and lived experience you shared');
    // One thing to a line, each short enough to read on its own.
    expect(text).toContain('What stays, without your name:\n• ');
    expect(text).toContain('\n• your votes in closed polls are still counted in the results');
    expect(text).toContain('Type /copro my-data first if you want a copy.');
    expect(last?.blocks?.at(-1)).toMatchObject({ type: 'buttons' });
    expect(await samiraRow(db)).toBeDefined();

    const kept = await world.press(samira, last, 'No, keep it');
    expect(kept.text).toBe('Nothing was deleted. copro still holds the data as before.');
    expect(await traces(db)).not.toEqual([]);
    expect(await samiraRow(db)).toBeDefined();
  });

  it('leaves no trace of the person in any table, and the group’s totals are unchanged', async () => {
    const before = await totals(db, world);
    expect(before.votes).toHaveLength(3);
    expect(before.history).toContain('1 pair, 100% met');
    const member = (await samiraRow(db))!;
    const { done } = await forgetMe();
    expect(done.text).toContain('Done. copro has deleted everything it held about you.');

    expect(await samiraRow(db)).toBeUndefined();
    const left = await rowsPointingAt(db, member, { exportedOnly: false });
    expect(left.filter((r) => r.rows > 0)).toEqual([]);
    expect(await traces(db)).toEqual([]);
    expect(await totals(db, world)).toEqual(before);
    // Bo keeps his side of the pair; the pair still counts as having met.
    const [pair] = await db.db.select().from(schema.matchGroups);
    const [boRow] = await db.db.select().from(schema.members).where(eq(schema.members.userId, bo.userId));
    expect(pair?.memberIds).toEqual([boRow!.id]);
    expect((await world.say(ann, 'report')).text).toContain(
      'Time: 3h from 1 person, counting everyone whose data was deleted as one.',
    );
    // The agenda item she raised is the group's record: it stays, linked to nobody.
    const items = await db.db.select().from(schema.agendaItems);
    expect(items.map((i) => [i.title, i.raisedBy, i.speakerId])).toEqual([
      ['Payment for reviewers', null, null],
    ]);
  });

  it('takes back votes in polls still open, so someone who comes back as new cannot vote twice', async () => {
    const named = await world.poll('poll "Soup or salad?" "Soup" "Salad"');
    const secret = await world.poll('poll "Keep the Tuesday slot?" "Keep" "Move" --anonymous');
    await world.press(samira, named, 'Soup');
    await world.press(samira, secret, 'Move');
    await forgetMe();
    await world.joined(samira);
    await world.press(samira, named, 'Soup');
    await world.press(samira, secret, 'Move');
    const counts = await db.db.execute<{ question: string; n: number }>(
      sql`select p.question, count(v.*)::int as n from polls p left join poll_votes v on v.poll_id = p.id where p.status = 'open' and p.question in ('Soup or salad?', 'Keep the Tuesday slot?') group by 1 order by 1`,
    );
    const rows = Array.isArray(counts) ? counts : (counts as { rows: unknown[] }).rows;
    expect(rows).toEqual([
      { question: 'Keep the Tuesday slot?', n: 1 },
      { question: 'Soup or salad?', n: 1 },
    ]);
  });

  it('leaves nothing that a command only reading brings back: my-data then says plainly that copro holds nothing', async () => {
    await forgetMe();
    const mine = await world.say(samira, 'my-data');
    expect(mine.text).toBe(
      'copro holds nothing about you: it has no record of you at all, so there is nothing to show or delete.',
    );
    expect(mine.last?.files ?? []).toEqual([]);
    expect((await world.say(samira, 'polls')).text).toContain('Open polls in Leaflet group');
    expect((await world.say(samira, 'forget-me')).text).toContain('there is nothing to delete');
    const home: string[] = [];
    await world.app.handle({
      kind: 'homeOpened',
      id: 'home-after-forget-me',
      actor: samira,
      show: async (m) => void home.push(m.text),
    });
    expect(home[0]).toContain('You are not in a copro group yet.');
    expect(await samiraRow(db)).toBeUndefined();
    expect(await traces(db)).toEqual([]);

    // Doing something (not only reading) makes a new record, as for anyone new.
    await world.say(samira, 'buddy opt-in');
    expect(await samiraRow(db)).toBeDefined();
    expect((await world.say(samira, 'my-data')).text).toContain('This is everything copro holds about you');
  });

  it('warns someone still owed money that, once deleted, nobody can tell it is theirs', async () => {
    expect((await world.say(samira, 'forget-me')).text).not.toContain('You are owed');
    await world.say(samira, 'log expense £3.20 "Parking" --kind travel');
    const { text } = await world.say(samira, 'forget-me');
    expect(text).toContain(
      'You are owed £3.20 that has not been paid yet. Once your data is deleted, nobody can tell that it is yours, so ask a coordinator to pay it first',
    );
  });

  it('writes nothing about the person to the logs', async () => {
    world.logged.length = 0;
    await world.say(samira, 'my-data');
    await forgetMe();
    const log = world.logged.join('\n');
    expect(log).toContain('personal data erased');
    for (const trace of TRACES) expect(log).not.toContain(trace);
  });

  it('refuses a confirmation pressed by anyone else', async () => {
    const { last } = await world.say(samira, 'forget-me');
    const other = await world.press(bo, last, 'Yes, delete my data');
    expect(other.text).toBe('That button was meant for someone else, so nothing was deleted.');
    expect(await samiraRow(db)).toBeDefined();
    expect(
      (await db.db.select().from(schema.members).where(eq(schema.members.userId, bo.userId))).length,
    ).toBe(1);
  });

  it('warns the only coordinator of a group that it would be left without one', async () => {
    const { text } = await world.say(ann, 'forget-me');
    expect(text).toContain('You are the only coordinator of Leaflet group.');
  });
});
