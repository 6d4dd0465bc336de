/**
 * The report as spreadsheet files (CSV, written by csv-stringify): payments for a finance team,
 * time for a funder's annual involvement return, and "you said, we did". Pure functions: rows in,
 * text out. Amounts are plain decimals from minor units ("12.50"), dates are YYYY-MM-DD in the
 * group's timezone, and nothing a member typed can become a spreadsheet formula.
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { decimalHours } from './days.js';
import type { FeedbackRow } from './feedback.js';
import { plainAmount } from './money.js';
import type { RecordRow } from './store.js';
import { EXPENSE_KINDS, type InvolvementType, nameOfType } from './types.js';

export interface Person {
  readonly displayName: string;
  readonly userId: string;
}

export interface CsvContext {
  readonly zone: string;
  readonly people: ReadonlyMap<number, Person>;
  readonly types: readonly InvolvementType[];
  /** Role key → name. */
  readonly roleNames: ReadonlyMap<string, string>;
}

export interface CsvFile {
  readonly name: string;
  readonly mimeType: 'text/csv';
  readonly title: string;
  readonly content: string;
}

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, or a tab or return first) gets a leading
 * apostrophe, the usual guard: it shows as written and is never run.
 */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const day = (at: Date | null, zone: string): string =>
  at ? (DateTime.fromJSDate(at, { zone }).toISODate() ?? '') : '';

function days(from: Date, to: Date): string {
  return String(Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000)));
}

const STATUS: Readonly<Record<RecordRow['status'], string>> = {
  owed: 'Owed',
  approved: 'Approved',
  paid: 'Paid',
  declined: 'Declined by member',
  none: 'Not paid (no rate)',
};

function choiceWords(r: RecordRow): string {
  if (r.kind === 'expense') return '';
  return r.payChoice === 'full'
    ? 'Full'
    : r.payChoice === 'declined'
      ? 'Declined'
      : `Less (${r.payPercent}%)`;
}

function who(r: RecordRow, ctx: CsvContext): Person {
  const person = r.memberId === null ? undefined : ctx.people.get(r.memberId);
  return person ?? { displayName: 'Former member (details erased)', userId: '' };
}

function write(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // A byte-order mark and CRLF line ends: Excel then reads £ and accents as written.
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows' });
}

export const PAYMENT_COLUMNS = [
  'Record',
  'Name',
  'Account',
  'Date',
  'Kind',
  'Type',
  'Description',
  'Hours',
  'Hourly rate',
  'Amount',
  'Currency',
  'Payment choice',
  'Status',
  'Recorded on',
  'Approved on',
  'Paid on',
  'Days waiting',
  'Receipt',
] as const;

/** Every record with money to pay or paid: one line per payment, for a finance team. */
export function paymentsCsv(rows: readonly RecordRow[], ctx: CsvContext, now: Date): string {
  const lines = rows
    .filter((r) => ['owed', 'approved', 'paid'].includes(r.status))
    .map((r) => {
      const person = who(r, ctx);
      return [
        String(r.id),
        safeCell(person.displayName),
        safeCell(person.userId),
        r.occurredOn,
        r.kind === 'time' ? 'Time' : 'Expense',
        r.kind === 'time' ? nameOfType(ctx.types, r.typeKey) : nameOfType(EXPENSE_KINDS, r.typeKey),
        safeCell(r.description),
        r.kind === 'time' ? decimalHours(r.minutes ?? 0) : '',
        r.rateMinor === null || r.kind === 'expense' ? '' : plainAmount(r.rateMinor, r.currency),
        plainAmount(r.amountMinor, r.currency),
        r.currency,
        choiceWords(r),
        STATUS[r.status],
        day(r.createdAt, ctx.zone),
        day(r.approvedAt, ctx.zone),
        day(r.paidAt, ctx.zone),
        days(r.createdAt, r.paidAt ?? now),
        safeCell(r.receipt ?? ''),
      ];
    });
  return write(PAYMENT_COLUMNS, lines);
}

export const TIME_COLUMNS = [
  'Record',
  'Date',
  'Name',
  'Roles',
  'Type',
  'Hours',
  'Minutes',
  'Description',
  'Payment choice',
  'Payment status',
] as const;

/** Time given, one line per record: for a funder's annual involvement return. */
export function timeCsv(rows: readonly RecordRow[], ctx: CsvContext): string {
  const lines = rows
    .filter((r) => r.kind === 'time')
    .map((r) => [
      String(r.id),
      r.occurredOn,
      safeCell(who(r, ctx).displayName),
      safeCell(r.roles.map((k) => ctx.roleNames.get(k) ?? k).join('; ')),
      nameOfType(ctx.types, r.typeKey),
      decimalHours(r.minutes ?? 0),
      String(r.minutes ?? 0),
      safeCell(r.description),
      choiceWords(r),
      STATUS[r.status],
    ]);
  return write(TIME_COLUMNS, lines);
}

export const FEEDBACK_COLUMNS = [
  'Feedback',
  'Raised on',
  'Came from',
  'You said',
  'People who raised it',
  'Status',
  'Outcome',
  'We did, or why not',
  'Closed on',
] as const;

const SOURCE: Readonly<Record<FeedbackRow['source'], string>> = {
  member: 'A member',
  agenda: 'A meeting agenda',
  poll: 'A poll',
};

/** "You said, we did": each item and what came of it. */
export function feedbackCsv(
  rows: readonly FeedbackRow[],
  raisedBy: ReadonlyMap<number, number>,
  zone: string,
): string {
  const lines = rows.map((f) => [
    `F${f.id}`,
    day(f.createdAt, zone),
    SOURCE[f.source],
    safeCell(f.text),
    String(raisedBy.get(f.id) ?? 0),
    f.status === 'closed' ? 'Closed' : 'Open',
    f.outcome === 'changed' ? 'Changed' : f.outcome === 'unchanged' ? 'Not changed' : '',
    safeCell(f.outcomeText ?? ''),
    day(f.closedAt, zone),
  ]);
  return write(FEEDBACK_COLUMNS, lines);
}
