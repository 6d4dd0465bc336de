import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { FEEDBACK_COLUMNS, PAYMENT_COLUMNS, safeCell, TIME_COLUMNS } from '../../src/involvement/csv.js';
import { reportData, reportFiles } from '../../src/involvement/report.js';
import { summarise } from '../../src/involvement/summary.js';
import { typesOf } from '../../src/involvement/types.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { involvementWorld } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const [ann, sam, cat] = ['Ann', 'Sam', 'Cat'].map((n) => person(n));
let world: ReturnType<typeof involvementWorld>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  world = involvementWorld(db, clock);
  await db.startFrom('a group with a meeting rate', async () => {
    await world.say(ann!, 'setup --name "Leaflet group"');
    await world.say(ann!, 'payments rate meeting £25');
  });
});

const say = (...args: Parameters<typeof world.say>) => world.say(...args).then((r) => r.text);

async function filesNow() {
  const [group] = await db.db.select().from(schema.groups);
  if (!group) throw new Error('no group');
  const period = { from: '2026-04-01', to: '2027-03-31' };
  const data = await reportData(db.db, group, period);
  const types = await typesOf(db.db, group.id);
  const ctx = { zone: group.timezone, people: data.people, types, roleNames: data.roleNames };
  return { data, files: reportFiles(group, period, data, ctx, clock.now()) };
}

const read = (content: string): string[][] => parse(content, { bom: true });

describe('the report as spreadsheet files', () => {
  it('parses back to exactly the records, one line each, with amounts to the penny', async () => {
    await say(sam!, 'log 1.5h "Meeting about the leaflet" --type meeting --date 2026-11-20');
    await say(
      cat!,
      'log expense £12.05 "Train, return" --kind travel --receipt "https://receipts.example/1"',
    );
    await say(cat!, 'log 2h "Panel, and Cat’s notes" --type meeting --pay none');
    // Quotes and line breaks cannot be typed in a command, but can come from elsewhere.
    await db.db
      .update(schema.involvementRecords)
      .set({ description: 'Panel, with a "quote"\nand a new line' })
      .where(eq(schema.involvementRecords.id, 3));
    await say(ann!, 'payments approve 1');
    clock.advance(4 * 86_400_000);
    await say(ann!, 'payments paid 1');
    const { files } = await filesNow();
    expect(files.map((f) => f.name)).toEqual([
      'payments_2026-04-01_to_2027-03-31.csv',
      'involvement_2026-04-01_to_2027-03-31.csv',
      'you-said-we-did_2026-04-01_to_2027-03-31.csv',
    ]);
    const [payments, time] = files.map((f) => read(f.content));
    expect(payments).toEqual([
      [...PAYMENT_COLUMNS],
      [
        '1',
        'Sam',
        'sam',
        '2026-11-20',
        'Time',
        'meeting',
        'Meeting about the leaflet',
        '1.50',
        '25.00',
        '37.50',
        'GBP',
        'Full',
        'Paid',
        '2026-11-23',
        '2026-11-23',
        '2026-11-27',
        '4',
        '',
      ],
      [
        '2',
        'Cat',
        'cat',
        '2026-11-23',
        'Expense',
        'travel',
        'Train, return',
        '',
        '',
        '12.05',
        'GBP',
        '',
        'Owed',
        '2026-11-23',
        '',
        '',
        '4',
        'https://receipts.example/1',
      ],
    ]);
    expect(time).toEqual([
      [...TIME_COLUMNS],
      [
        '1',
        '2026-11-20',
        'Sam',
        'member',
        'meeting',
        '1.50',
        '90',
        'Meeting about the leaflet',
        'Full',
        'Paid',
      ],
      [
        '3',
        '2026-11-23',
        'Cat',
        'member',
        'meeting',
        '2.00',
        '120',
        'Panel, with a "quote"\nand a new line',
        'Declined',
        'Declined by member',
      ],
    ]);
  });

  it('never lets member text become a spreadsheet formula', async () => {
    await say(sam!, 'log 1h =HYPERLINK(1) --type meeting');
    await say(sam!, 'log expense 5 "@SUM(1)" --receipt "+1 555"');
    const { files } = await filesNow();
    const [payments, time] = files.map((f) => read(f.content));
    expect(time?.[1]?.[7]).toBe("'=HYPERLINK(1)");
    expect(payments?.[2]?.[6]).toBe("'@SUM(1)");
    expect(payments?.[2]?.[17]).toBe("'+1 555");
    for (const cell of ['=1', '+1', '-1', '@1', '\t1']) expect(safeCell(cell)).toBe(`'${cell}`);
    expect(safeCell('fine')).toBe('fine');
  });

  it('lists "you said, we did" with the outcome and how many raised each', async () => {
    await say(sam!, 'feedback "Papers arrive too late"');
    await say(cat!, 'feedback "No step-free access"');
    await say(
      ann!,
      'feedback close F2 "The venue has no lift; we now meet online or in the library" --unchanged',
    );
    const { files } = await filesNow();
    const rows = read(files[2]?.content ?? '');
    expect(rows).toEqual([
      [...FEEDBACK_COLUMNS],
      ['F1', '2026-11-23', 'A member', 'Papers arrive too late', '1', 'Open', '', '', ''],
      [
        'F2',
        '2026-11-23',
        'A member',
        'No step-free access',
        '1',
        'Closed',
        'Not changed',
        'The venue has no lift; we now meet online or in the library',
        '2026-11-23',
      ],
    ]);
  });

  it('in chat, counts people and never names them', async () => {
    await say(sam!, 'log 1h "Meeting" --type meeting');
    await say(cat!, 'log 2h "Meeting" --type meeting --pay none');
    const report = await say(ann!, 'report --from 2026-11-01');
    expect(report).toContain(
      'Involvement in Leaflet group, from Sunday 1 November 2026 to Monday 23 November 2026.',
    );
    expect(report).toContain('Time: 3h from 2 people.');
    expect(report).toContain('By type: meeting 3h.');
    expect(report).toContain('£25.00 still to pay (1 payment, 0 approved)');
    expect(report).toContain('1 record where the member declined payment.');
    expect(report).not.toMatch(/Sam|Cat|sam|cat/);
    expect(await say(ann!, 'report --from 2026-12-01 --to 2026-11-01')).toContain('comes after the last one');
  });

  it('says which end is missing when only one day given is the wrong side of the other', async () => {
    expect(await say(ann!, 'report --from 2026-12-01')).toContain(
      'A report runs to today unless you give --to, and Tuesday 1 December 2026 has not come yet.',
    );
    expect(await say(ann!, 'report --to 2026-03-01')).toContain(
      'A report starts on Wednesday 1 April 2026 unless you give --from, and Sunday 1 March 2026 comes before that. Give --from as well.',
    );
  });
});

describe('totals for a period, from the database, against a plain recount', () => {
  it('counts exactly the records dated within the period, by type', async () => {
    const [group] = await db.db.select().from(schema.groups);
    const [member] = await db.db.select().from(schema.members);
    const types = ['meeting', 'preparation', 'review'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            day: fc.integer({ min: 1, max: 28 }),
            minutes: fc.integer({ min: 1, max: 1440 }),
            type: fc.constantFrom(...types),
          }),
          { maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 27 }),
        async (entries, first, span) => {
          await db.db.delete(schema.involvementRecords);
          const day = (d: number) => `2026-02-${String(d).padStart(2, '0')}`;
          if (entries.length > 0)
            await db.db.insert(schema.involvementRecords).values(
              entries.map((e) => ({
                groupId: group!.id,
                memberId: member!.id,
                kind: 'time' as const,
                typeKey: e.type,
                minutes: e.minutes,
                description: 'x',
                occurredOn: day(e.day),
                status: 'none' as const,
                createdAt: clock.now(),
                updatedAt: clock.now(),
              })),
            );
          const last = Math.min(28, first + span);
          const data = await reportData(db.db, group!, { from: day(first), to: day(last) });
          const s = summarise(data.records);
          const inside = entries.filter((e) => e.day >= first && e.day <= last);
          expect(s.minutes).toBe(inside.reduce((sum, e) => sum + e.minutes, 0));
          for (const t of types)
            expect(s.byType.get(t) ?? 0).toBe(
              inside.filter((e) => e.type === t).reduce((sum, e) => sum + e.minutes, 0),
            );
        },
      ),
      { numRuns: 30 },
    );
  });
});
