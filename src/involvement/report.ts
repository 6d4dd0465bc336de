/** /copro report: the numbers in chat (counts, no names) and, with --csv, the spreadsheets. */
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type Db, schema } from '../../db/client.js';
import { literal } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { GroupRow } from '../groups/types.js';
import { FORMER_MEMBER_ID } from '../privacy/forget.js';
import { plural, quoted } from '../text.js';
import { type CsvContext, type CsvFile, feedbackCsv, type Person, paymentsCsv, timeCsv } from './csv.js';
import { formatDay, formatMinutes, readBound, today } from './days.js';
import { type FeedbackRow, feedbackCode, outcomeWords } from './feedback.js';
import { formatTotals } from './money.js';
import type { RecordRow } from './store.js';
import { NO_ROLE, type Summary, summarise } from './summary.js';
import { EXPENSE_KINDS, nameOfType, typesOf } from './types.js';

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** Without --from, a report starts on 1 April, when the UK's financial year (and most funders') begins. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date, zone: string): Period {
  const local = DateTime.fromJSDate(now, { zone });
  const read = (raw: string) => {
    const day = readBound(raw, now, zone);
    if (!day.ok) throw new UserError('bad_date', day.problem);
    return day.day;
  };
  const end = to === undefined ? today(now, zone) : read(to);
  const aprilThisYear = `${local.year}-04-01`;
  const yearStart = today(now, zone) >= aprilThisYear ? aprilThisYear : `${local.year - 1}-04-01`;
  const start = from === undefined ? yearStart : read(from);
  if (start > end)
    throw new UserError(
      'bad_period',
      to === undefined
        ? `A report runs to today unless you give --to, and ${formatDay(start)} has not come yet. Give a first day that has passed.`
        : from === undefined
          ? `A report starts on ${formatDay(start)} unless you give --from, and ${formatDay(end)} comes before that. Give --from as well.`
          : 'The first day comes after the last one. Please swap them.',
    );
  return { from: start, to: end };
}

export interface ReportData {
  readonly records: RecordRow[];
  readonly feedback: FeedbackRow[];
  readonly raisedBy: Map<number, number>;
  readonly people: Map<number, Person>;
  readonly roleNames: Map<string, string>;
}

/** Everything one group's report needs, and nothing from any other group. */
export async function reportData(db: Db, group: GroupRow, period: Period): Promise<ReportData> {
  const r = schema.involvementRecords;
  const records = await db
    .select()
    .from(r)
    .where(and(eq(r.groupId, group.id), gte(r.occurredOn, period.from), lte(r.occurredOn, period.to)))
    .orderBy(asc(r.occurredOn), asc(r.id));
  const f = schema.feedbackItems;
  const start = DateTime.fromISO(period.from, { zone: group.timezone }).startOf('day').toJSDate();
  const end = DateTime.fromISO(period.to, { zone: group.timezone }).endOf('day').toJSDate();
  const feedback = await db
    .select()
    .from(f)
    .where(and(eq(f.groupId, group.id), gte(f.createdAt, start), lte(f.createdAt, end)))
    .orderBy(asc(f.createdAt), asc(f.id));
  const closedInPeriod = await db
    .select()
    .from(f)
    .where(and(eq(f.groupId, group.id), gte(f.closedAt, start), lte(f.closedAt, end)))
    .orderBy(asc(f.closedAt), asc(f.id));
  for (const c of closedInPeriod) if (!feedback.some((x) => x.id === c.id)) feedback.push(c);
  const raisedBy = new Map<number, number>();
  if (feedback.length > 0) {
    const rows = await db
      .select()
      .from(schema.feedbackRaisers)
      .where(
        inArray(
          schema.feedbackRaisers.feedbackId,
          feedback.map((x) => x.id),
        ),
      );
    for (const row of rows) raisedBy.set(row.feedbackId, (raisedBy.get(row.feedbackId) ?? 0) + 1);
  }
  const ids = [...new Set(records.map((x) => x.memberId).filter((id): id is number => id !== null))];
  const people = new Map<number, Person>();
  if (ids.length > 0) {
    const members = await db.select().from(schema.members).where(inArray(schema.members.id, ids));
    for (const m of members) people.set(m.id, { displayName: m.displayName, userId: m.userId });
  }
  const roles = await db.select().from(schema.roles).where(eq(schema.roles.groupId, group.id));
  const roleNames = new Map(roles.map((x) => [x.key, x.name]));
  return { records, feedback, raisedBy, people, roleNames };
}

const hoursList = (m: ReadonlyMap<string, number>, name: (key: string) => string): string =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, minutes]) => `${literal(name(k))} ${formatMinutes(minutes)}`)
    .join(', ');

/**
 * Records of people whose data was deleted all belong to one "former member" (so nobody can tell
 * whether two were one person's): the count of people says so rather than seeming to drop.
 */
const FORMER_NOTE = ', counting everyone whose data was deleted as one';
const formerCounted = (data: ReportData) =>
  [...data.people.values()].some((p) => p.userId === FORMER_MEMBER_ID);

/** The report in chat: counts and sums, never a name. */
export function reportText(
  group: GroupRow,
  period: Period,
  s: Summary,
  data: ReportData,
  types: Parameters<typeof nameOfType>[0],
): string {
  const closed = data.feedback.filter((f) => f.status === 'closed' && f.closedAt);
  const lines = [
    `Involvement in ${literal(group.name)}, from ${formatDay(period.from)} to ${formatDay(period.to)}.`,
    `Time: ${formatMinutes(s.minutes)} from ${plural(s.people, 'person', 'people')}${formerCounted(data) ? FORMER_NOTE : ''}.`,
  ];
  if (s.minutes > 0) {
    lines.push(`By type: ${hoursList(s.byType, (k) => nameOfType(types, k))}.`);
    lines.push(
      `By role: ${hoursList(s.byRole, (k) => (k === NO_ROLE ? 'no role' : (data.roleNames.get(k) ?? k)))} (someone with two roles counts in both).`,
    );
  }
  lines.push(
    `Payments: ${s.owedCount === 0 ? 'nothing still to pay' : `${formatTotals(s.owed)} still to pay (${plural(s.owedCount, 'payment')}, ${s.approvedCount} approved)`}. ${formatTotals(s.paid)} paid (${plural(s.paidCount, 'payment')})` +
      (s.averageDaysToPay === undefined
        ? '.'
        : `, on average ${s.averageDaysToPay} days after they were recorded.`) +
      (s.declinedCount > 0 ? ` ${plural(s.declinedCount, 'record')} where the member declined payment.` : ''),
  );
  if (s.expenseCount > 0) {
    const kinds = [...s.expensesByKind].map(
      ([k, totals]) => `${nameOfType(EXPENSE_KINDS, k)} ${formatTotals(totals)}`,
    );
    lines.push(
      `Expenses: ${plural(s.expenseCount, 'claim')}, ${formatTotals(s.expenses)} (${kinds.join(', ')}).`,
    );
  }
  lines.push(
    closed.length === 0
      ? 'You said, we did: no feedback was closed in this period.'
      : `You said, we did: ${plural(closed.length, 'item')} closed, ${closed.filter((c) => c.outcome === 'changed').length} of them changed something.`,
  );
  for (const c of closed.slice(0, 10))
    lines.push(`- ${feedbackCode(c)} ${quoted(c.text)}: ${outcomeWords(c)}`);
  if (closed.length > 10) lines.push(`- …and ${closed.length - 10} more in the CSV file.`);
  return lines.join('\n');
}

export function reportFiles(
  group: GroupRow,
  period: Period,
  data: ReportData,
  ctx: CsvContext,
  now: Date,
): CsvFile[] {
  const suffix = `${period.from}_to_${period.to}`;
  return [
    {
      name: `payments_${suffix}.csv`,
      mimeType: 'text/csv',
      title: `Payments and expenses, ${group.name}`,
      content: paymentsCsv(data.records, ctx, now),
    },
    {
      name: `involvement_${suffix}.csv`,
      mimeType: 'text/csv',
      title: `Involvement hours, ${group.name}`,
      content: timeCsv(data.records, ctx),
    },
    {
      name: `you-said-we-did_${suffix}.csv`,
      mimeType: 'text/csv',
      title: `You said, we did, ${group.name}`,
      content: feedbackCsv(data.feedback, data.raisedBy, group.timezone),
    },
  ];
}

async function report(ctx: ContextOf<'report'>): Promise<Reply> {
  const { deps, group, args } = ctx;
  const now = deps.clock.now();
  const period = periodOf(args.from, args.to, now, group.timezone);
  const data = await reportData(deps.db, group, period);
  const types = await typesOf(deps.db, group.id);
  const text = reportText(group, period, summarise(data.records), data, types);
  if (!args.csv) return { message: { text: `${text}\nFor spreadsheets with names (CSV): add --csv.` } };
  const files = reportFiles(
    group,
    period,
    data,
    { zone: group.timezone, people: data.people, types, roleNames: data.roleNames },
    now,
  );
  return {
    message: {
      text: `${text}\nWith this come three spreadsheet files (CSV): payments (for finance), involvement hours (for funders) and you said, we did. They have names in them: please keep them safe.`,
      files,
    },
  };
}

export const reportCommands = { report } as const;
