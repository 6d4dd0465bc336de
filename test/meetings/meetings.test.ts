import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { meetingWorld } from './support.js';

let db: TestDb;
let w: ReturnType<typeof meetingWorld>;
// Tuesday 1 December 2026, 10:00 in London (GMT).
const NOW = '2026-12-01T10:00:00Z';
const ann = person('Ann', { timezone: 'Europe/London' });
const sam = person('Sam', { timezone: 'America/New_York' });
const bo = person('Bo');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  w = meetingWorld(db);
  w.clock.set(NOW);
  await db.startFrom('a group with Sam and Bo', async () => {
    await w.say(ann, 'setup');
    await w.joins(sam);
    await w.joins(bo);
  });
});

describe('planning a meeting', () => {
  it('repeats the time back with the weekday and date, in the group timezone and the planner’s own', async () => {
    const nyAnn = person('Ann', { timezone: 'America/New_York' });
    const answer = await w.say(
      nyAnn,
      'meeting new "Leaflet review" "next Tuesday 2pm" --where "Room 4" --length 90m',
    );
    expect(answer).toMatch(
      /^Meeting M\w+: Leaflet review is planned for Tuesday 8 December 2026, 14:00 to 15:30 \(Europe\/London time\); for you that is Tuesday 8 December 2026, 09:00 to 10:30 \(America\/New_York time\)\./,
    );
    expect(answer).toContain('Where: Room 4.');
    expect(answer).toContain(
      'Its agenda will be posted in <#general> on Tuesday 1 December at 14:00, 7 days before',
    );
  });

  it('asks a plain question instead of guessing, and plans nothing', async () => {
    const asks: [string, RegExp][] = [
      ['"Tuesday at 3"', /Is that 03:00 in the morning or 15:00 in the afternoon\?/],
      ['"next tuesday"', /What time of day\?/],
      ['"last Tuesday 2pm"', /Tuesday 24 November 2026 at 14:00, which has already passed/],
      ['"1 December 2025 2pm"', /Monday 1 December 2025 at 14:00, which has already passed/],
      ['"next Tuesday 2pm EST"', /Please give the time as it will be in Europe\/London/],
      ['"whenever suits"', /could not read "whenever suits" as a day and time/],
      ['"Tuesday 2pm or Wednesday"', /not "or Wednesday"/],
    ];
    for (const [when, question] of asks) {
      expect(await w.say(ann, `meeting new "Planning" ${when}`)).toMatch(question);
    }
    expect(await db.db.select().from(schema.meetings)).toEqual([]);
  });

  it('plans one meeting when the same one is asked for twice, and says which it is', async () => {
    const code = await w.plan(ann, 'meeting new "Planning" "next Tuesday 2pm"');
    expect(await w.say(ann, 'meeting new "planning" "next Tuesday 2pm"')).toContain(
      `Meeting ${code}: Planning is already planned for that time, so nothing new was planned. To change it: /copro meeting edit ${code}.`,
    );
    expect(await w.say(ann, 'meeting new "Planning" "next Tuesday 4pm"')).toContain('is planned for');
    await w.say(ann, `meeting cancel ${code}`);
    expect(await w.say(ann, 'meeting new "Planning" "next Tuesday 2pm"')).toContain('is planned for');
    const planned = await db.db.select().from(schema.meetings);
    expect(planned.map((m) => m.status).sort()).toEqual(['cancelled', 'scheduled', 'scheduled']);
  });

  it('is for coordinators only', async () => {
    expect(await w.say(sam, 'meeting new "Planning" "next Tuesday 2pm"')).toMatch(/coordinator/i);
    expect(await db.db.select().from(schema.meetings)).toEqual([]);
  });

  it('plans each occurrence of a recurring meeting as its own, at the same local time across the clocks changing', async () => {
    w.clock.set('2027-02-02T10:00:00Z');
    const answer = await w.say(ann, 'meeting new "Monthly group" "Tuesday 9 February 2027 14:00" --every 4w');
    const rows = await db.db.select().from(schema.meetings).orderBy(schema.meetings.startsAt);
    expect(rows).toHaveLength(7);
    // Every id is given, the first one's included.
    expect(answer).toContain(
      `It repeats every 4 weeks at 14:00 (Europe/London time): 7 meetings are planned, each with its own id. This one is ${rows[0]!.code}; the other 6 are ${rows[1]!.code} (Tuesday 9 March at 14:00), `,
    );
    for (const row of rows) expect(answer).toContain(row.code);
    expect(new Set(rows.map((r) => r.code)).size).toBe(7);
    expect(rows.map((r) => r.startsAt.toISOString()).slice(0, 3)).toEqual([
      '2027-02-09T14:00:00.000Z',
      '2027-03-09T14:00:00.000Z',
      // British Summer Time from 28 March: still 14:00 in London.
      '2027-04-06T13:00:00.000Z',
    ]);
    expect(new Set(rows.map((r) => r.seriesId))).toEqual(new Set([rows[0]!.id]));
  });

  it('refuses a length or repeat it cannot plan, plainly', async () => {
    expect(await w.say(ann, 'meeting new "X" "next Tuesday 2pm" --length 20h')).toContain(
      'A meeting can last from 5 minutes to 12 hours',
    );
    expect(await w.say(ann, 'meeting new "X" "next Tuesday 2pm" --every 90m')).toContain(
      'It can repeat every so many days or weeks, up to a year, or every month',
    );
    expect(await w.say(ann, 'meeting new "X" "30 December 2pm" --every month')).toContain(
      'Not every month has a 30th, so a meeting on the 30th cannot repeat monthly.',
    );
    expect(await w.say(ann, 'meeting new "X" "31 February 2pm"')).toContain('February has no 31st');
    expect(await db.db.select().from(schema.meetings)).toEqual([]);
  });

  it('plans a monthly meeting on the first Tuesday, and says so plainly', async () => {
    // Wednesday 2 December: this month's first Tuesday has passed.
    w.clock.set('2026-12-02T10:00:00Z');
    const answer = await w.say(ann, 'meeting new "Steering group" "first Tuesday 2pm" --every month');
    expect(answer).toMatch(
      /^Meeting M\w+: Steering group is planned for Tuesday 5 January 2027, 14:00 to 15:00 \(Europe\/London time\)\./,
    );
    expect(answer).toContain(
      'It repeats monthly, on the first Tuesday at 14:00 (Europe/London time): 7 meetings are planned',
    );
    const rows = await db.db.select().from(schema.meetings).orderBy(schema.meetings.startsAt);
    expect(rows.map((r) => r.startsAt.toISOString())).toEqual([
      '2027-01-05T14:00:00.000Z',
      '2027-02-02T14:00:00.000Z',
      '2027-03-02T14:00:00.000Z',
      '2027-04-06T13:00:00.000Z',
      '2027-05-04T13:00:00.000Z',
      '2027-06-01T13:00:00.000Z',
      '2027-07-06T13:00:00.000Z',
    ]);
    // "of every month" asks for the same without --every.
    await db.reset();
    w = meetingWorld(db);
    w.clock.set('2026-12-02T10:00:00Z');
    await w.say(ann, 'setup');
    expect(await w.say(ann, 'meeting new "Steering group" "first Tuesday of every month 2pm"')).toContain(
      'It repeats monthly, on the first Tuesday',
    );
  });
});

describe('the list of meetings and answers to them', () => {
  it('shows upcoming meetings with how many are going, and counts a click on Going', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    expect(await w.say(sam, 'meetings')).toContain(
      "0 going, 0 maybe, 0 can't make it; you have not said yet.",
    );
    expect(await w.click(sam, 'meeting.rsvp', `${code}:going`)).toBe(
      'Thank you. You are going to "Leaflet review" on Tuesday 8 December 2026, 14:00 to 15:00 (Europe/London time); for you that is Tuesday 8 December 2026, 09:00 to 10:00 (America/New_York time). copro will remind you a day before and an hour before.',
    );
    await w.click(bo, 'meeting.rsvp', `${code}:maybe`);
    await w.click(bo, 'meeting.rsvp', `${code}:not-going`);
    const list = await w.say(sam, 'meetings');
    expect(list).toContain("1 going, 0 maybe, 1 can't make it; you said: Going.");
  });

  it('ignores an answer that is not one of the three, or for a meeting that does not exist', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    expect(await w.click(sam, 'meeting.rsvp', `${code}:yes please`)).toContain('Nothing was recorded.');
    expect(await w.click(sam, 'meeting.rsvp', 'MZZZZ:going')).toContain('That meeting no longer exists.');
    expect(await db.db.select().from(schema.meetingRsvps)).toEqual([]);
  });
});

describe('meeting ids as people type them', () => {
  it('finds a meeting whose id was copied with the full stop or comma after it, and still says when there is none', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    for (const typed of [`${code}.`, `${code.toLowerCase()},`, `#${code}`])
      expect(await w.say(sam, `agenda ${typed}`)).toContain(`Meeting ${code}: Leaflet review`);
    expect(await w.say(sam, 'agenda MZZZZ.')).toContain('There is no meeting MZZZZ in this group.');
  });
});

describe('the agenda posted ahead', () => {
  it('is posted 7 days before, once, with the details, access and the three answer buttons, even across a restart', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --where "Room 4"');
    await w.say(sam, `agenda add ${code} "Payment for reviewers" --minutes 20`);
    await w.tick();
    expect(w.channelPosts()).toEqual([]);
    w.clock.set('2026-12-01T14:00:00Z');
    w.restart();
    await w.scheduler.catchUp();
    await w.tick();
    await w.tick();
    const posts = w.channelPosts();
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.text).toContain(`Meeting ${code}: Leaflet review`);
    expect(post.text).toContain('When: Tuesday 8 December 2026, 14:00 to 15:00 (Europe/London time)');
    expect(post.text).toContain('There are no papers yet.');
    expect(post.text).toContain('1. 14:00 Payment for reviewers (20 minutes, <@sam>)');
    const buttons = post.message.blocks?.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])) ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Going', "Can't make it", 'Maybe']);

    await w.click(bo, 'meeting.rsvp', `${code}:going`);
    await w.tick();
    expect(w.platform.updates().at(-1)?.text).toContain("1 going, 0 maybe, 0 can't make it");
    expect(w.channelPosts()).toHaveLength(1);
  });

  it('is posted at once for a meeting less than a week away', async () => {
    const code = await w.plan(ann, 'meeting new "Soon" "Friday 11am"');
    await w.dispatcher.dispatchDue();
    expect(w.channelPosts().map((p) => p.text.split('\n')[0])).toEqual([`Meeting ${code}: Soon`]);
  });

  it('is posted as many days ahead as the group chose, for agendas not yet posted too', async () => {
    const code = await w.plan(ann, 'meeting new "Later" "22 December 2026 10am"');
    expect(await w.say(sam, 'meeting post-ahead 14')).toMatch(/coordinator/i);
    expect(await w.say(ann, 'meeting post-ahead 14')).toBe(
      "From now on each meeting's agenda is posted 14 days before it. That applies to the 1 meeting whose agenda is not posted yet.",
    );
    w.clock.set('2026-12-08T10:00:00Z');
    await w.tick();
    expect(w.channelPosts().map((p) => p.text.split('\n')[0])).toEqual([`Meeting ${code}: Later`]);
    w.clock.set('2026-12-15T10:00:00Z');
    await w.tick();
    expect(w.channelPosts()).toHaveLength(1);
  });

  it('can be posted sooner by a coordinator', async () => {
    const code = await w.plan(ann, 'meeting new "Later" "15 December 2026 10am"');
    expect(await w.say(sam, `agenda post ${code}`)).toMatch(/coordinator/i);
    expect(await w.say(ann, `agenda post ${code}`)).toContain('is posted in <#general>');
    await w.tick();
    expect(w.channelPosts()).toHaveLength(1);
    // The job a week ahead then finds it posted already.
    w.clock.set('2026-12-08T10:00:00Z');
    await w.tick();
    expect(w.channelPosts()).toHaveLength(1);
  });
});

describe('reminders', () => {
  it('go to those going, a day and an hour before, in their own timezone, once each across a restart', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    await w.click(bo, 'meeting.rsvp', `${code}:maybe`);
    w.clock.set('2026-12-07T14:00:00Z');
    await w.tick();
    w.restart();
    await w.scheduler.catchUp();
    await w.tick();
    const day = w.dmsTo('sam');
    expect(day).toHaveLength(1);
    expect(day[0]!.text).toContain(`Meeting ${code}: Leaflet review is tomorrow`);
    expect(day[0]!.text).toContain(
      'for you that is Tuesday 8 December 2026, 09:00 to 10:00 (America/New_York time)',
    );
    w.clock.set('2026-12-08T13:00:00Z');
    await w.tick();
    await w.tick();
    expect(w.dmsTo('sam').map((d) => d.text.includes('in an hour'))).toEqual([false, true]);
    expect(w.dmsTo('bo')).toEqual([]);
  });

  it('respect a member who turned them off', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    const group = await db.db.select().from(schema.groups);
    expect(await w.click(sam, 'meeting.reminders-off', String(group[0]!.id))).toContain('Done');
    w.clock.set('2026-12-08T13:00:00Z');
    await w.tick();
    expect(w.dmsTo('sam')).toEqual([]);
  });

  it('are dropped when copro was down until the meeting had started', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    w.clock.set('2026-12-08T14:05:00Z');
    w.restart();
    await w.scheduler.catchUp();
    await w.tick();
    expect(w.dmsTo('sam')).toEqual([]);
  });
});

describe('cancelling a meeting', () => {
  it('tells those going and those who might come, and stops the reminders', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    await w.click(bo, 'meeting.rsvp', `${code}:not-going`);
    expect(await w.say(sam, `meeting cancel ${code}`)).toMatch(/coordinator/i);
    expect(await w.say(ann, `meeting cancel ${code}`)).toContain(
      'copro told the 1 person who said they were going or might go.',
    );
    await w.tick();
    expect(w.dmsTo('sam').map((d) => d.text)).toEqual([
      expect.stringMatching(
        /^Meeting cancelled: "Leaflet review" in .*, which was due Tuesday 8 December 2026/,
      ),
    ]);
    expect(w.dmsTo('bo')).toEqual([]);
    w.clock.set('2026-12-08T13:30:00Z');
    await w.tick();
    expect(w.dmsTo('sam')).toHaveLength(1);
    expect(await w.say(sam, 'meetings')).toContain('No meetings are planned yet.');
    expect(await w.click(sam, 'meeting.rsvp', `${code}:going`)).toContain('was cancelled');
    expect(await w.say(ann, `meeting cancel ${code}`)).toContain('already cancelled');
  });
});

describe('cancelling a meeting with items on its agenda', () => {
  it('moves them to the next meeting of the series and tells whoever raised them', async () => {
    await w.say(ann, 'meeting new "Steering group" "first Tuesday of every month 2pm"');
    const [first, second] = await db.db.select().from(schema.meetings).orderBy(schema.meetings.startsAt);
    await w.say(bo, `agenda add ${first!.code} "Payment for reviewers" --minutes 10`);
    await w.say(bo, `agenda add ${first!.code} "Leaflet title"`);
    await w.say(sam, `agenda add ${first!.code} "Reading time"`);
    await w.say(sam, `agenda add ${second!.code} "Travel costs"`);
    await w.say(ann, `agenda add ${first!.code} "Welcome"`);
    // Sam's item is folded into Bo's; Sam is going, Bo is not.
    await w.say(ann, `agenda merge ${first!.code} 3 1`);
    await w.click(sam, 'meeting.rsvp', `${first!.code}:going`);
    const answer = await w.say(ann, `meeting cancel ${first!.code}`);
    expect(answer).toContain(
      `Its 3 agenda items move to the next meeting of the series, ${second!.code} (Tuesday 5 January at 14:00), and copro told whoever raised them.`,
    );
    await w.tick();
    expect(w.dmsTo('bo').map((d) => d.text)).toEqual([
      expect.stringMatching(
        /^Meeting cancelled: "Steering group" in .*, which was due Tuesday 1 December 2026, 14:00 to 15:00 \(Europe\/London time\), will not take place\. Your agenda items/,
      ),
    ]);
    expect(w.dmsTo('bo')[0]!.text).toContain(
      `Your agenda items "Payment for reviewers" and "Leaflet title" move to the next meeting of the series: Meeting ${second!.code}: Steering group, Tuesday 5 January 2027, 14:00 to 15:00 (Europe/London time). You do not need to do anything.`,
    );
    // Sam, going and with an item merged into another, gets one message that says both.
    expect(w.dmsTo('sam').map((d) => d.text)).toEqual([
      expect.stringContaining(
        'Thank you for planning to come. Your agenda item "Reading time" moves to the next meeting',
      ),
    ]);
    // The coordinator who cancelled raised one too: their answer says it, no message besides.
    expect(w.dmsTo('ann')).toEqual([]);
    const agenda = await w.say(bo, `agenda ${second!.code}`);
    expect(agenda).toContain('1. 14:00 Travel costs');
    expect(agenda).toMatch(
      /2\. \d\d:\d\d Payment for reviewers \(with: Reading time\) \(10 minutes, <@bo>, <@sam>\)/,
    );
    expect(agenda).toContain('Leaflet title');
    expect(agenda).toContain('Welcome');
  });

  it('tells a coordinator who cancels a meeting with only their own items that nobody else was told', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.say(ann, `agenda add ${code} "Payment for reviewers"`);
    const answer = await w.say(ann, `meeting cancel ${code}`);
    expect(answer).toContain(
      'Its 1 agenda item was not discussed, and there is no later meeting in its series. You raised it: add it to the next meeting you plan.',
    );
    expect(answer).not.toContain('copro told whoever raised');
    await w.tick();
    expect(w.dmsTo('ann')).toEqual([]);
  });

  it('tells whoever raised an item that it was not discussed, and how to raise it again, when no meeting follows', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.say(sam, `agenda add ${code} "Payment for reviewers"`);
    expect(await w.say(ann, `meeting cancel ${code}`)).toContain(
      'Its 1 agenda item was not discussed. There is no later meeting in its series, so copro told whoever raised it how to add it to another meeting.',
    );
    await w.tick();
    const [told] = w.dmsTo('sam').map((d) => d.text);
    expect(told).toContain('Your agenda item "Payment for reviewers" was not discussed.');
    expect(told).toContain(
      'To raise it at another meeting, see the meetings coming up with /copro meetings, then type /copro agenda add ID "item" with that meeting\'s id.',
    );
  });

  it('gives the coordinator who cancels only their confirmation, with the calendar file if they were coming', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(ann, 'meeting.rsvp', `${code}:going`);
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    const answer = await w.ask(ann, `meeting cancel ${code}`);
    expect(answer.text).toContain('copro told the 1 person who said they were going or might go.');
    expect(answer.text).toContain('You had said you would come: open the calendar file');
    expect(answer.files[0]?.content).toContain('STATUS:CANCELLED');
    await w.tick();
    expect(w.dmsTo('ann')).toEqual([]);
    expect(w.dmsTo('sam')).toHaveLength(1);
  });
});

describe('the agenda members shape', () => {
  it('shows items in order with timings that add up to the meeting, and says when they do not', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --length 90m');
    expect(await w.say(sam, `agenda add ${code} "Welcome" --minutes 10`)).toContain('is item 1');
    expect(await w.say(bo, `agenda add ${code} "Leaflet draft" --note "Pages 1-4" --speaker @sam`)).toContain(
      '<@sam> will speak to it',
    );
    await w.say(bo, `agenda add ${code} "Any other business"`);
    const agenda = await w.say(bo, `agenda ${code}`);
    expect(agenda).toContain('1. 14:00 Welcome (10 minutes, <@sam>)');
    expect(agenda).toContain('2. 14:10 Leaflet draft (40 minutes, <@sam>)\n   Pages 1-4');
    expect(agenda).toContain('3. 14:50 Any other business (40 minutes, <@bo>)');
    expect(agenda).not.toContain('Timings:');

    await w.say(bo, `agenda add ${code} "Payments" --minutes 90`);
    expect(await w.say(bo, `agenda ${code}`)).toContain(
      "Timings: The items need 100 minutes, 10 more than the meeting's 90.",
    );
  });

  it('lets coordinators move, merge and defer items; members cannot', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    const next = await w.plan(ann, 'meeting new "January" "12 January 2027 2pm"');
    for (const item of ['Welcome', 'Leaflet', 'Payments', 'Travel'])
      await w.say(sam, `agenda add ${code} "${item}" --minutes 10`);
    expect(await w.say(sam, `agenda move ${code} 4 1`)).toMatch(/coordinator/i);
    expect(await w.say(ann, `agenda move ${code} 4 1`)).toContain('"Travel" is now item 1.');
    expect(await w.say(ann, `agenda merge ${code} 4 1`)).toContain('"Payments" is now part of "Travel".');
    expect(await w.say(ann, `agenda defer ${code} 3`)).toContain(
      `"Leaflet" moves to the next meeting, ${next}`,
    );
    const agenda = await w.say(bo, `agenda ${code}`);
    expect(agenda).toContain('1. 14:00 Travel (with: Payments) (20 minutes, <@sam>)');
    expect(agenda).toContain('2. 14:20 Welcome (10 minutes, <@sam>)');
    expect(agenda).toContain(
      "Timings: The items take 30 minutes, which leaves 30 of the meeting's 60 spare.",
    );
    expect(await w.say(bo, `agenda ${next}`)).toContain('1. 14:00 Leaflet (10 minutes, <@sam>)');
    expect(await w.say(ann, `agenda move ${code} 7 1`)).toContain('has items 1 to 2, so there is no item 7');
  });

  it('carries an item deferred with no later meeting to the next one planned', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.say(sam, `agenda add ${code} "Leaflet"`);
    expect(await w.say(ann, `agenda defer ${code} 1`)).toContain(
      'will join the agenda of the next meeting planned',
    );
    const next = await w.plan(ann, 'meeting new "January" "12 January 2027 2pm"');
    expect(await w.say(sam, `agenda ${next}`)).toContain(
      'Agenda (times for you, America/New_York):\n1. 09:00 Leaflet',
    );
  });

  it('refuses a speaker who is not a member of the group, plainly, and adds nothing', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    w.platform.isChannelMember = async (_workspace: string, _channel: string, userId: string) =>
      ['ann', 'sam', 'bo'].includes(userId);
    expect(await w.say(sam, `agenda add ${code} "Leaflet" --speaker @nobody`)).toMatch(
      /^<@nobody> is not a member of .+, so copro cannot put them down to speak\. Name someone in <#general>, or leave out --speaker to speak to it yourself\. Nothing was added\.$/,
    );
    expect(await w.say(sam, `agenda ${code}`)).toContain('Nothing on the agenda yet.');
    expect(await w.say(sam, `agenda add ${code} "Leaflet" --speaker @bo`)).toContain(
      '<@bo> will speak to it',
    );
  });

  it('gives the same commands under an agenda as help does', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    const help = await w.say(ann, 'help agenda');
    const hint = await w.say(ann, `agenda ${code}`);
    for (const [usage, verb] of [
      ['/copro agenda move ID ITEM N', 'move'],
      ['/copro agenda merge ID ITEM INTO', 'merge'],
      ['/copro agenda defer ID ITEM', 'defer'],
    ] as const) {
      expect(help).toContain(usage);
      expect(hint).toContain(usage.replace('/copro ', '').replace('ID', code));
      expect(usage).toContain(`agenda ${verb}`);
    }
  });

  it('shows member text as typed, never as a mention or a link, and refuses text over the limit', async () => {
    const code = await w.plan(ann, 'meeting new "<!channel> meeting" "next Tuesday 2pm"');
    await w.say(sam, `agenda add ${code} "<!everyone> [prize](https://evil.example)"`);
    const agenda = await w.say(sam, `agenda ${code}`);
    expect(agenda).not.toContain('<!channel>');
    expect(agenda).not.toContain('<!everyone>');
    expect(agenda).toContain('\\[prize\\]');
    expect(await w.say(sam, `agenda add ${code} "${'x'.repeat(600)}"`)).toContain('at most 500 characters');
    expect(await w.say(ann, `meeting new "${'x'.repeat(150)}" "next Tuesday 2pm"`)).toContain(
      'at most 100 characters',
    );
  });
});

describe('changing a meeting', () => {
  it('opens a form with the meeting as it is, and a new time reschedules the reminders and tells those going', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --where "Room 4"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    const { form, text, errors } = await w.fillIn(ann, `meeting edit ${code}`, {
      when: '9 December 2026 10:00',
      stepFree: 'yes',
      papersBy: 'by Friday 4 December',
    });
    expect(errors).toBeUndefined();
    expect(form.fields.find((f) => f.id === 'when')).toMatchObject({ initial: '8 December 2026 14:00' });
    expect(text).toContain('is Wednesday 9 December 2026, 10:00 to 11:00 (Europe/London time).');
    expect(text).toContain('copro told the person going or who might go.');
    await w.tick();
    expect(w.dmsTo('sam').at(-1)?.text).toContain('has changed. It is now Wednesday 9 December 2026');
    expect(await w.say(sam, `agenda ${code}`)).toContain('The venue is step-free.');
    expect(await w.say(sam, `agenda ${code}`)).toContain('Papers will follow: by Friday 4 December.');
    // The old time's reminder (Monday 14:00) sends nothing; the new one (Tuesday 10:00) does.
    w.clock.set('2026-12-07T14:00:00Z');
    await w.tick();
    expect(w.dmsTo('sam').filter((d) => d.text.includes('tomorrow'))).toEqual([]);
    w.clock.set('2026-12-08T10:00:00Z');
    await w.tick();
    expect(w.dmsTo('sam').filter((d) => d.text.includes('tomorrow'))).toHaveLength(1);
  });

  it('reads "second Tuesday" for one meeting of a monthly series in that meeting’s own month', async () => {
    await w.say(ann, 'meeting new "Steering group" "first Tuesday of every month 2pm"');
    const [, , february] = await db.db.select().from(schema.meetings).orderBy(schema.meetings.startsAt);
    const { text, errors } = await w.fillIn(ann, `meeting edit ${february!.code}`, {
      when: 'second Tuesday 2pm',
    });
    expect(errors).toBeUndefined();
    expect(text).toContain('is Tuesday 9 February 2027, 14:00 to 15:00 (Europe/London time).');
  });

  it('keeps the form open with a plain question when the new time is unclear', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    const { errors } = await w.fillIn(ann, `meeting edit ${code}`, {
      when: 'Wednesday at 3',
      length: 'long',
    });
    expect(errors).toEqual({
      when: 'Is that 03:00 in the morning or 15:00 in the afternoon? Please add am or pm, or use the 24-hour clock.',
      length: 'Please give a length from 5 minutes to 12 hours, such as 90m or 2h.',
    });
  });

  it('adds a link to the papers, shown on the agenda and sent to those going', async () => {
    const code = await w.plan(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    expect(await w.say(ann, `meeting papers ${code} "javascript:alert(1)"`)).toContain(
      'is not a web address',
    );
    expect(
      await w.say(ann, `meeting papers ${code} "https://example.org/a)[x](https://evil.example"`),
    ).toContain('is not a web address');
    expect(await w.say(sam, `meeting papers ${code} "https://example.org/p.pdf"`)).toMatch(/coordinator/i);
    expect(await w.say(ann, `meeting papers ${code} "https://example.org/p.pdf"`)).toContain(
      'copro sent the link to the 1 person going',
    );
    await w.tick();
    expect(w.dmsTo('sam').at(-1)?.text).toContain('https://example.org/p.pdf');
    expect(await w.say(sam, `agenda ${code}`)).toContain('Papers: [paper 1](https://example.org/p.pdf).');
  });
});

describe('calendar files', () => {
  const uidOf = (content: string) => /UID:(.*)/.exec(content)?.[1]?.trim();
  const sequenceOf = (content: string) => Number(/SEQUENCE:(\d+)/.exec(content)?.[1]);

  it('come with a new meeting, with the list of all upcoming ones, and with a cancel, keeping the UID', async () => {
    const planned = await w.ask(ann, 'meeting new "Leaflet review" "next Tuesday 2pm"');
    const code = /Meeting (M\w+):/.exec(planned.text)![1]!;
    expect(planned.files).toHaveLength(1);
    expect(planned.files[0]).toMatchObject({ name: `meeting-${code}.ics`, mimeType: 'text/calendar' });
    expect(planned.files[0]!.content).toContain('DTSTART:20261208T140000Z');
    await w.plan(ann, 'meeting new "January" "12 January 2027 2pm"');
    const all = await w.ask(sam, 'meetings --ics');
    expect(all.text).toContain('The calendar file holds the 2 meetings coming up.');
    expect(all.files[0]!.content.match(/BEGIN:VEVENT/g)).toHaveLength(2);

    await w.click(sam, 'meeting.rsvp', `${code}:going`);
    await w.say(ann, `meeting cancel ${code}`);
    await w.tick();
    const notice = w.dmsTo('sam').at(-1)!.message;
    const cancelled = notice.files?.[0]?.content ?? '';
    expect(uidOf(cancelled)).toBe(uidOf(planned.files[0]!.content));
    expect(sequenceOf(cancelled)).toBeGreaterThan(sequenceOf(planned.files[0]!.content));
    expect(cancelled).toContain('STATUS:CANCELLED');
  });
});
