/**
 * Days, as involvement records keep them: a calendar date in the group's timezone
 * ("2026-11-20"), read from what people type ("last Friday", "20 Nov", "2026-11-20").
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

/** How far back a record may be dated: a year and a little, for a funder's year. */
export const OLDEST_DAYS = 400;

export type DayReading = { ok: true; day: string } | { ok: false; problem: string };

/** Today, where the group is. */
export function today(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
}

function typedDay(text: string, now: Date, zone: string): DateTime | undefined {
  const typed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) {
    const iso = DateTime.fromISO(typed, { zone });
    return iso.isValid ? iso : undefined;
  }
  const local = DateTime.fromJSDate(now, { zone });
  // chrono works in the process's zone: hand it the group's wall-clock time as if local.
  const reference = new Date(local.year, local.month - 1, local.day, local.hour, local.minute);
  const [found] = chrono.en.GB.parse(typed, reference, { forwardDate: false });
  if (!found || found.text.trim().length < typed.length - 1) return undefined;
  const s = found.start;
  let day: DateTime<boolean> = DateTime.fromObject(
    {
      year: s.get('year') ?? local.year,
      month: s.get('month') ?? local.month,
      day: s.get('day') ?? local.day,
    },
    { zone },
  );
  // chrono takes the nearest such day, which can be ahead: on a Thursday, "Friday" is tomorrow
  // and "1 April" next year. A record looks back, so those are the last Friday and the last
  // 1 April, unless the words themselves look ahead ("next Friday", "tomorrow").
  if (
    day.isValid &&
    day.startOf('day') > local.startOf('day') &&
    !s.isCertain('year') &&
    !LOOKS_AHEAD.test(typed)
  ) {
    if (s.isCertain('month')) day = lastBefore(day);
    else if (s.isCertain('weekday')) day = day.minus({ weeks: 1 });
  }
  return day.isValid ? day : undefined;
}

/** The same day and month in an earlier year: 29 February in the last leap year, not the 28th. */
function lastBefore(day: DateTime<boolean>): DateTime<boolean> {
  for (let year = day.year - 1; year >= day.year - 8; year--) {
    const earlier = DateTime.fromObject({ year, month: day.month, day: day.day }, { zone: day.zone });
    if (earlier.isValid) return earlier;
  }
  return day.minus({ years: 1 });
}

const LOOKS_AHEAD = /\b(next|tomorrow|coming|in)\b/i;

const unreadable = (text: string) =>
  `copro could not read "${text.trim().slice(0, 40)}" as a day. Try "yesterday", "last Friday", "20 Nov" or 2026-11-20.`;

/** A day someone typed, looking back from now (so "Friday" is the last one, not the next). */
export function readDay(text: string, now: Date, zone: string): DayReading {
  const day = typedDay(text, now, zone);
  if (!day) return { ok: false, problem: unreadable(text) };
  const local = DateTime.fromJSDate(now, { zone });
  const iso = day.toISODate() ?? '';
  if (iso > (local.toISODate() ?? ''))
    return { ok: false, problem: 'That day has not happened yet. Please record it once it is done.' };
  if (local.startOf('day').diff(day.startOf('day'), 'days').days > OLDEST_DAYS)
    return {
      ok: false,
      problem: `That is more than ${OLDEST_DAYS} days ago. Please ask a coordinator to record it.`,
    };
  return { ok: true, day: iso };
}

/** A report's first or last day: any day at all. */
export function readBound(text: string, now: Date, zone: string): DayReading {
  const day = typedDay(text, now, zone);
  return day ? { ok: true, day: day.toISODate() ?? '' } : { ok: false, problem: unreadable(text) };
}

/** "Friday 20 November 2026". */
export function formatDay(day: string): string {
  return DateTime.fromISO(day).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** Whole days from one moment to another (rounded down): how long a payment has waited. */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}

/** 150 → "2h 30m", 60 → "1h", 45 → "45m". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** 90 → "1.50": hours with two decimals, worked out in whole numbers. */
export function decimalHours(minutes: number): string {
  const hundredths = Math.floor((minutes * 100 + 30) / 60);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
