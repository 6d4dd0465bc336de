import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { raiseFeedback } from '../../src/involvement/feedback.js';
import { ERASED_TEXT, involvementPersonalData } from '../../src/involvement/personal-data.js';
import { recordFromSources } from '../../src/involvement/sources.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { involvementWorld } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
const [ann, sam, cat, dev, bo] = ['Ann', 'Sam', 'Cat', 'Dev', 'Bo'].map((n) => person(n));
let world: ReturnType<typeof involvementWorld>;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  world = involvementWorld(db, clock);
  await db.startFrom('a group with two rates', async () => {
    await world.say(ann!, 'setup --name "Leaflet group"');
    await world.say(ann!, 'payments rate meeting £25');
    await world.say(ann!, 'payments rate review £20');
  });
});

const say = (...args: Parameters<typeof world.say>) => world.say(...args).then((r) => r.text);
const records = () => db.db.select().from(schema.involvementRecords).orderBy(schema.involvementRecords.id);

describe('recording time', () => {
  it('records your own time on the day you say, at the group’s rate, and shows it in your record', async () => {
    const answer = await say(
      sam!,
      'log 2h "Reviewed the patient leaflet" --date "last Friday" --type review',
    );
    expect(answer).toContain('2h of document review on Friday 20 November 2026 is in your record as #1');
    expect(answer).toContain('£40.00 is owed');
    await say(sam!, 'log 45m "Read the papers" --type preparation');
    const mine = await say(sam!, 'my-involvement');
    expect(mine).toContain('2h 45m over 2 records of time');
    expect(mine).toContain(
      '#1 Fri 20 Nov 2026: 2h document review, “Reviewed the patient leaflet” (£40.00 owed',
    );
    expect(mine).toContain('#2 Mon 23 Nov 2026: 45m preparation, “Read the papers” (no payment)');
  });

  it('lets a coordinator record time for someone, who is told privately; a member cannot', async () => {
    expect(await say(ann!, 'log 1h "Interview panel for the new trial" --for @sam --type panel')).toContain(
      "<@sam>'s record as #1",
    );
    const [told] = await world.dms('sam', 'involvement:%');
    expect(told?.text).toContain('<@ann> recorded this for you in Leaflet group');
    expect(await say(sam!, 'log 1h "Helped" --for @cat')).toBe(
      'Only coordinators can record involvement for someone else. You can record your own.',
    );
    expect((await records()).map((r) => r.memberId)).toHaveLength(1);
  });

  it('refuses impossible time plainly: none, negative, over a day, in the future, or too long to read', async () => {
    expect(await say(sam!, 'log 0h "x"')).toContain(
      'A length of time must be more than nothing. Try 45m, 2h or 1h30m.',
    );
    expect(await say(sam!, 'log -2h "x"')).toContain('"-2h" is not a length of time.');
    expect(await say(sam!, 'log 10000h "x"')).toContain('more than 24 hours in one go');
    expect(await say(sam!, 'log 2h "x" --date tomorrow')).toContain('has not happened yet');
    expect(await say(sam!, 'log 2h "x" --date "the day after never"')).toContain('could not read');
    expect(await say(sam!, `log 2h "${'a'.repeat(501)}"`)).toContain('at most 500 characters');
    expect(await say(sam!, 'log 2h "x" --type juggling')).toContain(
      '"juggling" is not a type this group uses',
    );
    expect(await records()).toEqual([]);
  });

  it('shows what members typed as written: a mention in a description pings nobody', async () => {
    await say(sam!, 'log 1h "<!channel> read [this](https://evil.example)"');
    const mine = await say(sam!, 'my-involvement');
    expect(mine).not.toContain('<!channel>');
    expect(mine).toContain('@channel read \\[this\\](https://evil.example)');
  });

  it('lets a group add its own type, which members can then use', async () => {
    await say(ann!, 'log type add "Steering group"');
    expect(await say(sam!, 'log 1h "Quarterly steering meeting" --type "steering group"')).toContain(
      '1h of Steering group',
    );
    expect(await say(sam!, 'log types')).toContain('- Steering group');
    expect(await say(ann!, 'log type add "<!here>"')).toContain('letters, numbers, spaces or hyphens');
    expect(await say(ann!, 'log type add "[x](https://evil.example)"')).toContain(
      'letters, numbers, spaces or hyphens',
    );
  });
});

describe('payment', () => {
  it('respects a member who declines payment, for one entry or from now on, and never lists it as owed', async () => {
    await say(sam!, 'log 2h "Meeting" --type meeting --pay none');
    await say(cat!, 'my-involvement pay none');
    await say(cat!, 'log 2h "Meeting" --type meeting');
    await say(dev!, 'log 2h "Meeting" --type meeting --pay 50%');
    const rows = await records();
    expect(rows.map((r) => [r.status, r.amountMinor])).toEqual([
      ['declined', 0],
      ['declined', 0],
      ['owed', 2500],
    ]);
    const payments = await say(ann!, 'payments');
    expect(payments).toContain('1 payment waiting, £25.00 in all');
    expect(payments).toContain('£25.00 owed, waiting since today');
    expect(payments).not.toContain('<@sam>');
    expect(payments).not.toContain('<@cat>');
    expect(await say(ann!, `payments approve ${rows[0]?.id}`)).toContain(
      `No payment waiting under #${rows[0]?.id}`,
    );
  });

  it('shows how long each payment has waited, oldest first, and paid ones leave the list', async () => {
    await say(sam!, 'log 2h "Meeting" --type meeting');
    clock.advance(3 * DAY);
    await say(
      cat!,
      'log expense £12.50 "Train to the meeting" --kind travel --receipt "ticket photo sent to Ann"',
    );
    clock.advance(9 * DAY);
    expect(await say(ann!, 'payments approve 1')).toContain('1 payment approved (#1), £50.00 in all');
    const waiting = await say(ann!, 'payments');
    expect(waiting).toContain('2 payments waiting, £62.50 in all. The oldest has waited 12 days.');
    const lines = waiting.split('\n');
    expect(lines[1]).toContain('<@sam>: #1');
    expect(lines[1]).toContain('£50.00 approved, waiting 12 days');
    expect(lines[2]).toContain('<@cat>: #2');
    expect(lines[2]).toContain('£12.50 owed, waiting 9 days');

    expect(await say(ann!, 'payments paid all')).toContain('1 payment marked paid (#1)');
    expect(await say(ann!, 'payments paid 2')).toContain('1 payment marked paid (#2)');
    expect(await say(ann!, 'payments')).toBe(
      'Nothing is waiting to be paid. Everyone who is owed has been paid.',
    );
    expect((await world.dms('sam', 'involvement:%:paid')).map((d) => d.text)).toEqual([
      'Leaflet group has paid you £50.00 for record #1 (“Meeting”). Thank you for your time.',
    ]);
    const [paid] = await records();
    expect(paid?.approvedAt).toEqual(new Date('2026-12-05T10:00:00Z'));
    expect(paid?.paidAt).toEqual(new Date('2026-12-05T10:00:00Z'));
  });

  it('lets a member correct a record until it is approved, and works the amount out again', async () => {
    await say(sam!, 'log 1h "Meeting" --type meeting');
    expect(await say(sam!, 'log fix 1 --time 3h --what "Long meeting"')).toContain(
      '3h meeting, “Long meeting” (£75.00 owed)',
    );
    expect(await say(sam!, 'log fix 1 --pay none')).toContain('payment declined');
    expect(await say(sam!, 'log fix 1 --pay full')).toContain('£75.00 owed');
    await say(ann!, 'payments approve 1');
    expect(await say(sam!, 'log fix 1 --time 4h')).toContain('already approved, so it cannot be changed');
    expect(await say(sam!, 'log remove 1')).toContain('already approved');
    expect((await records())[0]?.minutes).toBe(180);
  });

  it('keeps the rate a record was made with when it is corrected after the rate changed', async () => {
    await say(sam!, 'log 1h "Meeting" --type meeting');
    await say(sam!, 'log 1h "Read the papers"');
    expect(await say(ann!, 'payments rate meeting £40')).toContain('Records already made keep their rate.');
    await say(ann!, 'payments rate other £30');
    expect(await say(sam!, 'log fix 1 --time 2h')).toContain('2h meeting, “Meeting” (£50.00 owed)');
    await say(sam!, 'log fix 2 --time 3h');
    expect((await records()).map((r) => [r.minutes, r.rateMinor, r.amountMinor, r.status])).toEqual([
      [120, 2500, 5000, 'owed'],
      [180, null, 0, 'none'],
    ]);
    expect(await say(sam!, 'log 1h "Another meeting" --type meeting')).toContain('£40.00');
  });

  it('takes a record or feedback number copied with the full stop after it, as copro wrote it', async () => {
    expect(await say(sam!, 'log 1h "Meeting" --type meeting')).toContain('is in your record as #1.');
    expect(await say(sam!, 'log fix #1. --time 2h')).toContain('2h meeting');
    expect(await say(ann!, 'payments approve 1.')).toContain('1 payment approved (#1)');
    expect(await say(sam!, 'feedback "More breaks"')).toContain('recorded as F1.');
    expect(await say(ann!, 'feedback close F1. "We added a break"')).toBe(
      'F1 is closed. The person who raised it is told privately. It will be in the weekly digest and the report.',
    );
    expect(await say(ann!, 'feedback list')).toContain('No feedback is waiting for an answer.');
  });

  it('reads a time written the way copro writes it back, hours and minutes together', async () => {
    expect(await say(sam!, 'log 1h30m "Read the papers"')).toContain('1h 30m of other work on');
    expect(await say(sam!, 'log 1h 30m Read the papers')).toContain('1h 30m of other work on');
    expect(await say(sam!, 'log fix 1 --time "2h 15m"')).toContain('2h 15m other');
    expect((await records()).map((r) => r.minutes)).toEqual([135, 90]);
  });

  it('takes rates as typed money, never as a float, and copro sets none of its own', async () => {
    await say(ann!, 'payments rate training 12.5');
    expect(await say(sam!, 'payments rates')).toContain('- training: £12.50 an hour');
    await say(sam!, 'log 20m "Online course" --type training');
    expect((await records())[0]?.amountMinor).toBe(417); // 416.67p, to the nearest penny
    expect(await say(ann!, 'payments rate training 12.345')).toContain('at most 2 digits');
    await say(ann!, 'payments rate training none');
    await say(sam!, 'log 20m "Online course" --type training');
    expect((await records())[1]?.status).toBe('none');
    // Nothing an hour is no rate at all, not a rate of £0.00.
    await say(ann!, 'payments rate training 12');
    expect(await say(ann!, 'payments rate training £0')).toContain(
      'From now on, time spent on training is not paid.',
    );
    expect(await say(sam!, 'payments rates')).not.toContain('£0.00');
  });

  it('says plainly when a rate taken away was never set, and when no rates are left', async () => {
    expect(await say(ann!, 'payments rate training none')).toBe(
      'There was no rate for training, so nothing has changed: time spent on training is not paid.',
    );
    await say(ann!, 'payments rate meeting none');
    await say(ann!, 'payments rate review none');
    const left = await say(sam!, 'payments rates');
    expect(left).toMatch(/has no rates set, so no time is paid through copro/);
    expect(left).not.toContain('yet');
    expect(left).toContain('If you expected to be paid for your time, please ask a coordinator.');
  });
});

describe('who sees what', () => {
  it('refuses a member every coordinator view', async () => {
    await say(sam!, 'log 1h "Meeting" --type meeting');
    for (const command of [
      'payments',
      'payments approve 1',
      'payments paid 1',
      'payments rate meeting £100',
      'feedback list',
      'feedback close F1 "done"',
      'report',
      'report --csv',
      'log type add "Parties"',
    ]) {
      expect(await say(sam!, command)).toMatch(/^Only coordinators can use \/copro/);
    }
    expect((await records())[0]?.status).toBe('owed');
  });

  it('lets a member see and change only their own records', async () => {
    await say(sam!, 'log 1h "Meeting" --type meeting');
    await say(cat!, 'log 2h "Reading" --type preparation');
    const mine = await say(cat!, 'my-involvement');
    expect(mine).not.toContain('Meeting');
    expect(await say(cat!, 'log fix 1 --time 9h')).toContain('You have no record #1 here.');
    expect(await say(cat!, 'log remove 1')).toContain('You have no record #1 here.');
    expect((await records())[0]?.minutes).toBe(60);
  });

  it('never reaches across groups: another group’s records and feedback are not found, and not counted', async () => {
    await say(bo!, 'setup --name "Other group"', 'other');
    await say(bo!, 'payments rate meeting £30', 'other');
    await say(bo!, 'log 5h "Their meeting" --type meeting', 'other');
    await say(bo!, 'feedback "Their idea"', 'other');
    await say(sam!, 'log 1h "Our meeting" --type meeting');
    const theirs = (await records()).find((r) => r.description === 'Their meeting');
    const id = theirs?.id;
    expect(await say(ann!, `payments approve ${id}`)).toContain(
      `No payment waiting under #${id} in this group`,
    );
    expect(await say(ann!, `payments paid ${id}`)).toContain(`No payment waiting under #${id} in this group`);
    expect(await say(ann!, `log fix ${id} --time 1h`)).toContain(`You have no record #${id} here.`);
    expect(await say(ann!, `log remove ${id}`)).toContain(`You have no record #${id} here.`);
    const [item] = await db.db.select().from(schema.feedbackItems);
    expect(await say(ann!, `feedback close F${item?.id} "Done"`)).toContain(
      `There is no feedback F${item?.id} in this group`,
    );
    expect(await say(ann!, 'feedback list')).not.toContain('Their idea');
    const payments = await say(ann!, 'payments approve all');
    expect(payments).not.toContain(`#${id}`);
    const report = await say(ann!, 'report');
    expect(report).toContain('Time: 1h from 1 person.');
    const [after] = await db.db
      .select()
      .from(schema.involvementRecords)
      .where(eq(schema.involvementRecords.id, id ?? 0));
    expect(after).toMatchObject({ status: 'owed', minutes: 300 });
  });
});

describe('you said, we did', () => {
  it('shows how to close one with the number of one that is waiting', async () => {
    await say(sam!, 'feedback "Papers arrive too late"');
    await say(sam!, 'feedback "More breaks"');
    const [first] = await db.db.select().from(schema.feedbackItems).orderBy(schema.feedbackItems.id);
    await say(ann!, `feedback close F${first?.id} "Papers now go out a week before"`);
    const list = await say(ann!, 'feedback list');
    expect(list).toContain(
      `To close one: /copro feedback close F${(first?.id ?? 0) + 1} "what changed and why"`,
    );
    // Raised the same day: not "0 days old".
    expect(list).toContain(`F${(first?.id ?? 0) + 1}, raised today, from 1 person`);
    await say(ann!, `feedback close F${(first?.id ?? 0) + 1} "Every meeting now has a break"`);
    expect(await say(ann!, 'feedback list')).not.toContain('To close one');
  });

  it('closing an item tells exactly the people who raised it, privately, and nobody else', async () => {
    for (const p of [sam, cat, dev]) await say(p!, 'my-involvement');
    const members = await db.db.select().from(schema.members);
    const id = (name: string) => members.find((m) => m.displayName === name)?.id ?? 0;
    const [group] = await db.db.select().from(schema.groups);
    const item = await raiseFeedback(db.db, {
      groupId: group?.id ?? 0,
      source: 'agenda',
      sourceKey: 'agenda:7',
      text: 'Meetings are too long without a break',
      raisedBy: [id('Sam'), id('Cat')],
      now: clock.now(),
    });
    // Raised again from the same agenda item: the same item, one more person.
    await raiseFeedback(db.db, {
      groupId: group?.id ?? 0,
      source: 'agenda',
      sourceKey: 'agenda:7',
      text: 'Meetings are too long without a break',
      raisedBy: [id('Cat')],
      now: clock.now(),
    });
    expect(await say(ann!, `feedback close F${item.id} "Every meeting now has a 10 minute break"`)).toContain(
      'The 2 people who raised it are told privately.',
    );
    const told = async (userId: string) => (await world.dms(userId, 'feedback:%')).map((d) => d.text);
    expect(await told('sam')).toEqual([
      `You said: “Meetings are too long without a break” (Leaflet group, F${item.id}).\nWe did: “Every meeting now has a 10 minute break”. Thank you: this changed because of your input.`,
    ]);
    expect(await told('cat')).toHaveLength(1);
    expect(await told('dev')).toEqual([]);
    expect(await told('ann')).toEqual([]);
    expect(await say(ann!, `feedback close F${item.id} "again"`)).toBe(
      `F${item.id} is already closed. Nothing changed.`,
    );
  });

  it('turns an agenda item a member proposed into feedback once the meeting has happened, once', async () => {
    const planned = await say(ann!, 'meeting new "Leaflet review" "25 November 2026 2pm"');
    const code = /Meeting (M\w+):/.exec(planned)?.[1];
    await say(sam!, `agenda add ${code} "Pay reviewers within two weeks"`);
    await recordFromSources(db.db, clock.now());
    expect(await db.db.select().from(schema.feedbackItems)).toEqual([]); // the meeting is still to come
    clock.set('2026-11-26T10:00:00Z');
    await recordFromSources(db.db, clock.now());
    await recordFromSources(db.db, clock.now());
    const items = await db.db.select().from(schema.feedbackItems);
    expect(items.map((i) => [i.source, i.text])).toEqual([['agenda', 'Pay reviewers within two weeks']]);
    await say(ann!, `feedback close F${items[0]?.id} "Payments now go out within 10 days"`);
    expect((await world.dms('sam', 'feedback:%')).map((d) => d.text)).toEqual([
      expect.stringContaining('We did: “Payments now go out within 10 days”.'),
    ]);
  });

  it('records confirmed meeting attendance as time, once per member and meeting', async () => {
    const planned = await say(ann!, 'meeting new "Leaflet review" "25 November 2026 2pm" --length 90m');
    await say(sam!, 'my-involvement');
    const [meeting] = await db.db.select().from(schema.meetings);
    const [member] = await db.db.select().from(schema.members).where(eq(schema.members.userId, 'sam'));
    expect(planned).toContain('Leaflet review');
    clock.set('2026-11-26T10:00:00Z');
    await db.db.insert(schema.meetingAttendance).values({
      meetingId: meeting!.id,
      memberId: member!.id,
      status: 'attended',
      confirmedAt: clock.now(),
      updatedAt: clock.now(),
    });
    await recordFromSources(db.db, clock.now());
    await recordFromSources(db.db, clock.now());
    const rows = await records();
    expect(
      rows.map((r) => [r.memberId, r.typeKey, r.minutes, r.occurredOn, r.status, r.amountMinor]),
    ).toEqual([[member!.id, 'meeting', 90, '2026-11-25', 'owed', 3750]]);
  });

  it('turns a poll someone voted in, once it has closed, into feedback, once', async () => {
    const started = await say(ann!, 'poll "Which day suits you?" "Monday" "Friday"');
    const code = /poll (P\w+) is posted/.exec(started)?.[1];
    const unvoted = /poll (P\w+) is posted/.exec(
      await say(ann!, 'poll "Tea or coffee?" "Tea" "Coffee"'),
    )?.[1];
    // Sam's vote, as the poll's button would record it.
    await say(sam!, 'my-involvement');
    const [poll] = await db.db.select().from(schema.polls).where(eq(schema.polls.code, code!));
    const [samRow] = await db.db.select().from(schema.members).where(eq(schema.members.userId, 'sam'));
    await db.db
      .insert(schema.pollVotes)
      .values({ pollId: poll!.id, voterKey: `m${samRow!.id}`, memberId: samRow!.id, choices: [0] });
    await say(ann!, `poll close ${code}`);
    await say(ann!, `poll close ${unvoted}`);
    await recordFromSources(db.db, clock.now());
    await recordFromSources(db.db, clock.now());
    const items = await db.db.select().from(schema.feedbackItems);
    expect(items.map((i) => [i.source, i.text])).toEqual([['poll', `Poll ${code}: Which day suits you?`]]);
    // Those who voted are told what came of it; they voted on the question, they did not say it.
    await say(ann!, `feedback close F${items[0]?.id} "We meet on Mondays now"`);
    const digest = await say(ann!, 'digest preview');
    expect(digest).toContain(
      `You voted on “Poll ${code}: Which day suits you?”. We did: “We meet on Mondays now”.`,
    );
    expect(digest).not.toContain('You said “Poll');
  });

  it('shows closed items, and hours as one total, in the weekly digest', async () => {
    await say(sam!, 'feedback "Papers arrive too late to read"');
    await say(sam!, 'log 2h "Meeting" --type meeting');
    await say(cat!, 'log 30m "Reading" --type preparation');
    await say(ann!, 'feedback close F1 "Papers now go out a week before each meeting"');
    const digest = await say(sam!, 'digest preview');
    expect(digest).toContain("Time given:\n- 2h 30m of members' time was recorded this week, from 2 people.");
    expect(digest).toContain(
      'You said, we did:\n- You said “Papers arrive too late to read”. We did: “Papers now go out a week before each meeting”.',
    );
    // Other sections welcome newcomers by name; these two name nobody.
    expect(digest.slice(digest.indexOf('Time given'))).not.toMatch(/Sam|Cat/);
  });
});

describe('a member who asks to be forgotten', () => {
  it('leaves the group’s hours and payments in its totals, without their name or their words', async () => {
    await say(sam!, 'log 2h "Reviewed the leaflet about my diagnosis" --type meeting');
    await say(sam!, 'log expense £4 "Bus" --receipt "https://photos.example/sam"');
    await say(sam!, 'my-involvement pay 50%');
    await say(sam!, 'feedback "Please add captions"');
    const before = await say(ann!, 'report');
    const [member] = await db.db.select().from(schema.members).where(eq(schema.members.userId, 'sam'));
    const [former] = await db.db
      .insert(schema.members)
      .values({ platform: 'console', workspaceId: 'local', userId: 'former', displayName: 'Former member' })
      .returning();
    await db.db.transaction((tx) =>
      involvementPersonalData.erase({ tx, member: member!, formerMemberId: former!.id, now: clock.now() }),
    );
    expect(await say(ann!, 'report')).toBe(before);
    const rows = await records();
    expect(rows.map((r) => [r.memberId, r.description, r.receipt, r.minutes, r.amountMinor])).toEqual([
      [former!.id, ERASED_TEXT, null, 120, 5000],
      [former!.id, ERASED_TEXT, null, null, 400],
    ]);
    expect(await db.db.select().from(schema.involvementPayChoices)).toEqual([]);
    expect(await db.db.select().from(schema.feedbackRaisers)).toEqual([]);
    const exported = await involvementPersonalData.export({ db: db.db, member: member! });
    expect(exported.flatMap((s) => s.rows)).toEqual([]);
  });
});
