/** How involvement records read in chat: one short line each. */
import { DateTime } from 'luxon';
import { UserError } from '../errors.js';
import { quoted } from '../text.js';
import { daysBetween, formatMinutes } from './days.js';
import { formatMoney } from './money.js';
import type { RecordRow } from './store.js';
import { EXPENSE_KINDS, type InvolvementType, nameOfType } from './types.js';

export const recordNumber = (row: { readonly id: number }): string => `#${row.id}`;

/**
 * "12" or "#12" → 12, also with the full stop or comma copied from the end of copro's sentence
 * ("… in your record as #12."); anything else is refused plainly.
 */
export function readRecordNumber(raw: string): number {
  const m = /^#?(\d{1,9})[.,;:]?$/.exec(raw.trim());
  if (!m?.[1])
    throw new UserError(
      'bad_record',
      `"${raw.slice(0, 20)}" is not a record number. They look like 12 or #12.`,
    );
  return Number(m[1]);
}

export const shortDay = (day: string): string =>
  DateTime.fromISO(day).setLocale('en-GB').toFormat('ccc d LLL yyyy');

export function statusWords(row: RecordRow, now?: Date): string {
  const money = formatMoney(row.amountMinor, row.currency);
  switch (row.status) {
    case 'owed':
      return `${money} owed${now ? `, ${waitingFor(row, now)}` : ''}`;
    case 'approved':
      return `${money} approved${now ? `, ${waitingFor(row, now)}` : ''}`;
    case 'paid':
      return `${money} paid`;
    case 'declined':
      return 'payment declined';
    case 'none':
      return 'no payment';
  }
}

/** "waiting 3 days", or "waiting since today". */
function waitingFor(row: RecordRow, now: Date): string {
  return daysBetween(row.createdAt, now) === 0 ? 'waiting since today' : `waiting ${daysWaiting(row, now)}`;
}

export function daysWaiting(row: RecordRow, now: Date): string {
  const days = daysBetween(row.createdAt, now);
  return days === 1 ? '1 day' : `${days} days`;
}

/** "#12 Fri 20 Nov 2026: 2h document review, “Read the leaflet” (£40.00 owed)". */
export function describeRecord(row: RecordRow, types: readonly InvolvementType[], now?: Date): string {
  const what =
    row.kind === 'time'
      ? `${formatMinutes(row.minutes ?? 0)} ${nameOfType(types, row.typeKey)}`
      : `${nameOfType(EXPENSE_KINDS, row.typeKey)} expense`;
  return `${recordNumber(row)} ${shortDay(row.occurredOn)}: ${what}, ${quoted(row.description)} (${statusWords(row, now)})`;
}
