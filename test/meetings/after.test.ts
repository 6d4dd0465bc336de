import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { confirmedAttendance, meetingOutcomes } from '../../src/meetings/records.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { meetingWorld } from './support.js';

let db: TestDb;
let w: ReturnType<typeof meetingWorld>;
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');
let code = '';

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  w = meetingWorld(db);
  w.clock.set('2026-12-01T10:00:00Z');
  code = await db.startFrom('a meeting with an agenda, Sam and Bo going', async () => {
    await w.say(ann, 'setup');
    await w.joins(sam);
    await w.joins(bo);
    const planned = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.say(sam, `agenda add ${planned} "Payment for reviewers"`);
    await w.say(bo, `agenda add ${planned} "Leaflet title"`);
    await w.click(sam, 'meeting.rsvp', `${planned}:going`);
    await w.click(bo, 'meeting.rsvp', `${planned}:going`);
    return planned;
  });
});

describe('notes after a meeting', () => {
  it('records decisions and actions linked to items, and posts them naming who raised each', async () => {
    expect(await w.say(ann, `meeting notes ${code}`)).toContain('has not begun yet');
    w.clock.set('2026-12-08T15:00:00Z');
    expect(await w.say(sam, `meeting notes ${code}`)).toMatch(/coordinator/i);
    const refused = await w.fillIn(ann, `meeting notes ${code}`, { decisions: '7: Nothing' });
    expect(refused.errors).toEqual({ decisions: 'The agenda has items 1 to 2, so there is no item 7.' });
    const { text, errors } = await w.fillIn(ann, `meeting notes ${code}`, {
      decisions: '1: Reviewers are paid for reading time\nMeet again in January',
      actions: '2: Ann drafts three titles',
    });
    expect(errors).toBeUndefined();
    expect(text).toContain('are posted in <#general>');
    await w.tick();
    const notes = w.channelPosts().find((p) => p.text.startsWith('Notes from'))!;
    expect(notes.text).toContain(
      '- Reviewers are paid for reading time (item 1, "Payment for reviewers", raised by <@sam>)',
    );
    expect(notes.text).toContain('- Meet again in January');
    expect(notes.text).toContain('- Ann drafts three titles (item 2, "Leaflet title", raised by <@bo>)');
    const recorded = await meetingOutcomes(db.db, 1, new Date('2026-12-01T00:00:00Z'), w.clock.now());
    expect(recorded.map((o) => [o.kind, o.text, o.itemTitle])).toEqual([
      ['decision', 'Reviewers are paid for reading time', 'Payment for reviewers'],
      ['decision', 'Meet again in January', null],
      ['action', 'Ann drafts three titles', 'Leaflet title'],
    ]);
    // Saving again replaces the notes and edits the same post.
    await w.fillIn(ann, `meeting notes ${code}`, { decisions: 'Meet again in February', actions: '' });
    await w.tick();
    expect(w.channelPosts().filter((p) => p.text.startsWith('Notes from'))).toHaveLength(1);
    expect(w.platform.updates().at(-1)?.text).toContain('- Meet again in February');
  });
});

describe('attendance', () => {
  it('says plainly when there is nothing to count yet, or ever', async () => {
    expect(await w.say(ann, `meeting attendance ${code}`)).toBe(
      `Meeting ${code} has not happened yet. The day after it, everyone who said they were going is asked whether they were there; their answers appear here for you to confirm.`,
    );
    await w.say(ann, `meeting cancel ${code}`);
    expect(await w.say(ann, `meeting attendance ${code}`)).toBe(
      `Meeting ${code} was cancelled, so nobody was there to count.`,
    );
  });

  it('asks those going the day after, once across a restart; a coordinator confirms; records read it', async () => {
    w.clock.set('2026-12-09T14:00:00Z');
    await w.tick();
    w.restart();
    await w.scheduler.catchUp();
    await w.tick();
    const asked = w.dmsTo('sam').filter((d) => d.text.startsWith('Were you at'));
    expect(asked).toHaveLength(1);
    expect(await w.click(sam, 'meeting.attended', `${code}:attended`)).toContain(
      'a coordinator will confirm it',
    );
    expect(await w.click(bo, 'meeting.attended', `${code}:absent`)).toContain('Missing a meeting is fine');
    const list = await w.say(ann, `meeting attendance ${code}`);
    expect(list).toContain('- Say they were there, not yet confirmed: <@sam>');
    expect(list).toContain('- Say they could not come: <@bo>');
    expect(await w.click(bo, 'meeting.confirm-attendance', code)).toMatch(/Only coordinators/);
    expect(await w.click(ann, 'meeting.confirm-attendance', code)).toBe(
      `Confirmed: 1 person at ${code}. Thank you.`,
    );
    const records = await confirmedAttendance(db.db, 1, new Date('2026-12-01T00:00:00Z'), w.clock.now());
    const [samRow] = await db.db.select().from(schema.members).where(eq(schema.members.userId, 'sam'));
    expect(records.map((r) => [r.meetingCode, r.memberId, r.lengthMinutes])).toEqual([
      [code, samRow!.id, 60],
    ]);
  });

  it('asks nobody about a cancelled meeting', async () => {
    await w.say(ann, `meeting cancel ${code}`);
    w.clock.set('2026-12-09T14:00:00Z');
    await w.tick();
    expect(w.dmsTo('sam').filter((d) => d.text.startsWith('Were you at'))).toEqual([]);
  });
});

describe('the weekly digest', () => {
  it('shows meetings coming up with answers and items, and what meetings decided', async () => {
    const preview = await w.say(sam, 'digest preview');
    expect(preview).toContain('Meetings coming up');
    expect(preview).toContain(
      `“Leaflet review” (${code}), Tuesday 8 December at 14:00: 2 going, 0 maybe, 0 can't make it; 2 items on the agenda.`,
    );
    w.clock.set('2026-12-08T15:00:00Z');
    await w.fillIn(ann, `meeting notes ${code}`, {
      decisions: '1: Reviewers are paid for reading time',
      actions: '',
    });
    const after = await w.say(sam, 'digest preview');
    expect(after).toContain('Decided at meetings');
    expect(after).toContain(
      `“Reviewers are paid for reading time” (on “Payment for reviewers”), at ${code}.`,
    );
  });
});
