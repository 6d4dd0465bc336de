/**
 * A meeting that repeats: every so many days or weeks, or monthly (on its nth weekday, or on the
 * same day of the month). Each occurrence keeps the same wall-clock time in the group's timezone,
 * so a 14:00 meeting stays at 14:00 when the clocks change.
 */
import { DateTime } from 'luxon';
import { echo, parseDurationMinutes } from '../commands/values.js';
import { UserError } from '../errors.js';
import { plural } from '../text.js';
import { dayInMonth, describeRule, type MonthlyRule } from './monthly.js';
import { ordinal } from './when.js';

/** How often: a number of days, or monthly. */
export type Every = { readonly days: number } | 'monthly';

/** A recurring meeting is planned this far ahead, at most this many times. */
const SERIES_DAYS = 26 * 7;
const SERIES_MAX = 12;
const DAY_MINUTES = 24 * 60;

const MONTHLY = /^(?:(?:1|one|a|every|each)\s*)?(?:month|months|monthly|mo)$/i;
const EXAMPLES = 'for example --every 1w, --every 2w, --every 28d or --every month';

/** "4w", "14d", "month", "monthly", "1 month". */
export function readEvery(raw: string | undefined): Every | undefined {
  if (raw === undefined) return undefined;
  const typed = raw.trim();
  if (MONTHLY.test(typed)) return 'monthly';
  if (/^(?:(?:1|one|a|every|each)\s*)?(?:week|weekly)$/i.test(typed)) return { days: 7 };
  if (/^(?:(?:1|one|a|every|each)\s*)?(?:fortnight|fortnightly)$/i.test(typed)) return { days: 14 };
  if (/^\d+\s*(?:months?|mo)$/i.test(typed))
    throw new UserError(
      'bad_every',
      `A meeting can repeat every month, but not every few months. Please use --every month, or plan the meetings one by one.`,
    );
  const minutes = parseDurationMinutes(typed);
  if (minutes === undefined || minutes % DAY_MINUTES !== 0 || minutes > 365 * DAY_MINUTES)
    throw new UserError(
      'bad_every',
      `"${echo(typed)}" is not how often a meeting can repeat. It can repeat every so many days or weeks, up to a year, or every month: ${EXAMPLES}.`,
    );
  return { days: minutes / DAY_MINUTES };
}

/** The rule a monthly series keeps: the one typed ("first Tuesday"), else the first one's day. */
export function monthlyRule(first: Date, zone: string, typed: MonthlyRule | undefined): MonthlyRule {
  if (typed) return typed;
  const day = DateTime.fromJSDate(first, { zone }).day;
  if (day > 28)
    throw new UserError(
      'bad_every',
      `Not every month has a ${ordinal(day)}, so a meeting on the ${ordinal(day)} cannot repeat monthly. Please choose a day from the 1st to the 28th, or a day such as "last Friday 2pm".`,
    );
  return { kind: 'day', day };
}

/** Every start of the series, the first included: up to six months ahead, at most 12. */
export function seriesStarts(first: Date, every: Every, rule: MonthlyRule | undefined, zone: string): Date[] {
  const start = DateTime.fromJSDate(first, { zone });
  const time = { hour: start.hour, minute: start.minute, second: 0, millisecond: 0 };
  const nth = (k: number) =>
    every === 'monthly'
      ? dayInMonth(rule!, start.startOf('month').plus({ months: k })).set(time)
      : start.plus({ days: every.days * k });
  const until = first.getTime() + SERIES_DAYS * DAY_MINUTES * 60_000;
  const starts = [first];
  for (let k = 1; starts.length < SERIES_MAX; k++) {
    const local = nth(k);
    const at = local.toJSDate();
    if (at.getTime() > until && starts.length >= 2) break;
    clocksCheck(local, start.toFormat('HH:mm'), zone);
    starts.push(at);
  }
  return starts;
}

/** A meeting of the series at a time the clocks skip or pass twice is asked about, not moved. */
function clocksCheck(at: DateTime, asked: string, zone: string): void {
  const day = at.setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  const clock = (t: DateTime) => t.toFormat('HH:mm');
  const problem =
    clock(at) !== asked
      ? `the clocks change that night in ${zone}, so ${asked} does not happen on ${day}`
      : clock(at.minus({ hours: 1 })) === asked || clock(at.plus({ hours: 1 })) === asked
        ? `the clocks go back that night in ${zone}, so ${asked} happens twice on ${day}`
        : undefined;
  if (problem)
    throw new UserError(
      'bad_time',
      `One meeting of this series would fall on a night the clocks change: ${problem}. Please choose another time. Nothing was planned.`,
    );
}

/** "every 4 weeks", "every 10 days", "monthly, on the first Tuesday". */
export function describeEvery(every: Every, rule: MonthlyRule | undefined): string {
  if (every === 'monthly') return `monthly, on ${describeRule(rule!)}`;
  if (every.days % 7 === 0) return every.days === 7 ? 'every week' : `every ${every.days / 7} weeks`;
  return every.days === 1 ? 'every day' : `every ${plural(every.days, 'day')}`;
}
