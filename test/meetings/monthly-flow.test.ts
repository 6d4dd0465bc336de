import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { meetingWorld } from './support.js';

/**
 * A monthly steering group from planning to notes, on a fixed clock: what a coordinator and
 * members see at each step, as a newcomer would try it in the terminal.
 */
let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());

const ann = person('Ann'); // the coordinator
const sam = person('Sam', { timezone: 'America/New_York' });
const bo = person('Bo');

describe('a steering group on the first Tuesday of each month', () => {
  it('is planned, shaped, posted a week ahead, answered, reminded, added to calendars and written up', async () => {
    await db.reset();
    // Wednesday 2 December 2026: this month's first Tuesday was yesterday.
    const w = meetingWorld(db);
    w.clock.set('2026-12-02T10:00:00Z');
    await w.say(ann, 'setup --name "Leaflet group"');
    await w.joins(sam);
    await w.joins(bo);

    const planned = await w.ask(
      ann,
      'meeting new "Steering group" "first Tuesday 2pm" --every month --where "Room 4"',
    );
    const code = /Meeting (M\w+): /.exec(planned.text)![1]!;
    expect(planned.text).toContain(
      `Meeting ${code}: Steering group is planned for Tuesday 5 January 2027, 14:00 to 15:00 (Europe/London time).`,
    );
    expect(planned.text).toContain('It repeats monthly, on the first Tuesday at 14:00 (Europe/London time)');
    expect(planned.text).toContain('Its agenda will be posted in <#general> on Tuesday 29 December at 14:00');
    // The calendar file holds every meeting of the series, each at 14:00 London time.
    const calendar = new ICAL.Component(ICAL.parse(planned.files[0]!.content));
    const starts = calendar
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v).startDate.toJSDate().toISOString());
    expect(starts.slice(0, 4)).toEqual([
      '2027-01-05T14:00:00.000Z',
      '2027-02-02T14:00:00.000Z',
      '2027-03-02T14:00:00.000Z',
      '2027-04-06T13:00:00.000Z',
    ]);

    expect(await w.say(sam, `agenda add ${code} "Payment for reviewers" --minutes 20`)).toContain(
      'is item 1 on the agenda',
    );
    expect(await w.say(bo, `agenda add ${code} "Leaflet title"`)).toContain('is item 2 on the agenda');

    // Nothing is posted until a week before.
    w.clock.set('2026-12-29T13:59:00Z');
    await w.tick();
    expect(w.channelPosts()).toEqual([]);
    w.clock.set('2026-12-29T14:00:00Z');
    await w.tick();
    const [post] = w.channelPosts();
    expect(post?.text).toContain(`Meeting ${code}: Steering group`);
    expect(post?.text).toContain('When: Tuesday 5 January 2027, 14:00 to 15:00 (Europe/London time)');
    expect(post?.text).toContain('1. 14:00 Payment for reviewers (20 minutes, <@sam>)');
    expect(post?.text).toContain('2. 14:20 Leaflet title (40 minutes, <@bo>)');
    const buttons = post?.message.blocks?.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])) ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Going', "Can't make it", 'Maybe']);

    expect(await w.click(sam, 'meeting.rsvp', `${code}:going`)).toContain(
      'for you that is Tuesday 5 January 2027, 09:00 to 10:00 (America/New_York time)',
    );
    await w.click(bo, 'meeting.rsvp', `${code}:going`);
    await w.tick();
    expect(w.platform.updates().at(-1)?.text).toContain("2 going, 0 maybe, 0 can't make it");

    w.clock.set('2027-01-04T14:00:00Z');
    await w.tick();
    w.clock.set('2027-01-05T13:00:00Z');
    await w.tick();
    expect(w.dmsTo('bo').map((d) => d.text.split(',')[0])).toEqual([
      `A reminder from Leaflet group: Meeting ${code}: Steering group is tomorrow`,
      `A reminder from Leaflet group: Meeting ${code}: Steering group is in an hour`,
    ]);
    expect(w.dmsTo('sam')).toHaveLength(2);

    w.clock.set('2027-01-05T15:30:00Z');
    const notes = await w.fillIn(ann, `meeting notes ${code}`, {
      decisions: '1: Reviewers are paid for reading time',
      actions: '2: Ann drafts three titles',
    });
    expect(notes.errors).toBeUndefined();
    await w.tick();
    const posted = w.channelPosts().find((p) => p.text.startsWith('Notes from'));
    expect(posted?.text).toContain(
      '- Reviewers are paid for reading time (item 1, "Payment for reviewers", raised by <@sam>)',
    );
    expect(posted?.text).toContain('- Ann drafts three titles (item 2, "Leaflet title", raised by <@bo>)');

    // The next meeting of the series is February's first Tuesday, with an agenda of its own.
    const next = await w.say(bo, 'meetings');
    expect(next).toMatch(/^- \*?\*?M\w+\*?\*? Steering group: Tuesday 2 February 2027, 14:00 to 15:00/m);
  });
});
