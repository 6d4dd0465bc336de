/**
 * Reading when a meeting is, as a coordinator types it ("next Tuesday 2pm"), in the group's
 * timezone. A meeting at the wrong time costs people a trip or a carer's afternoon, so anything
 * copro would have to guess at comes back as a plain question instead: no time of day, "at 3"
 * (morning or afternoon?), a time in the past, a time the clocks skip or pass twice, a timezone
 * abbreviation typed along with it.
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { echo } from '../commands/values.js';

export type MeetingTime =
  | { ok: true; at: Date }
  /** `passed` when the only trouble is that the time is behind us. */
  | { ok: false; question: string; passed?: true };

/** Meetings are planned at most this far ahead. */
const MAX_YEARS_AHEAD = 2;
/** Words that say the time meant is behind us, which chrono would otherwise push forward. */
const PAST_WORDS = /\b(last|ago|yesterday|previous)\b/i;

const wallClock = (at: DateTime) => at.toFormat('HH:mm');

/** "Tuesday 8 December 2026 at 14:00". */
export function longDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm");
}

export function readMeetingTime(text: string, now: Date, zone: string): MeetingTime {
  const typed = text.trim();
  const example = 'Try something like "next Tuesday 2pm" or "8 December 14:00".';
  const local = DateTime.fromJSDate(now, { zone });
  // chrono works in the process's own zone: hand it the group's wall-clock time as if local.
  const reference = new Date(local.year, local.month - 1, local.day, local.hour, local.minute);
  const [ahead] = chrono.parse(typed, reference, { forwardDate: true });
  if (!ahead) {
    const missing = noSuchDay(typed);
    return {
      ok: false,
      question: missing
        ? `${missing} ${example}`
        : `copro could not read "${echo(typed)}" as a day and time. ${example}`,
    };
  }
  const leftOver = typed.replace(ahead.text, '').trim();
  if (leftOver.length > 1)
    return {
      ok: false,
      question: `copro read "${echo(ahead.text)}" as the time, but not "${echo(leftOver)}". Please give just the day and time. ${example}`,
    };
  const start = ahead.start;
  if (start.isCertain('timezoneOffset'))
    return {
      ok: false,
      question: `Please give the time as it will be in ${zone}, the group's timezone, and leave out any other timezone. copro reads every time as ${zone} time.`,
    };
  if (!start.isCertain('hour'))
    return { ok: false, question: `What time of day? Please add it, e.g. "${echo(ahead.text)} 2pm".` };
  const hour = start.get('hour') ?? 0;
  const minute = start.get('minute') ?? 0;
  // "01:30" is the 24-hour clock; "1:30" or "at 1" could be either.
  const twentyFour = /\b0\d[:.]\d\d\b/.test(ahead.text);
  if (!start.isCertain('meridiem') && !twentyFour && hour >= 1 && hour <= 7) {
    const am = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const pm = `${hour + 12}:${String(minute).padStart(2, '0')}`;
    return {
      ok: false,
      question: `Is that ${am} in the morning or ${pm} in the afternoon? Please add am or pm, or use the 24-hour clock.`,
    };
  }
  const wanted = DateTime.fromObject(
    {
      year: start.get('year') ?? local.year,
      month: start.get('month') ?? local.month,
      day: start.get('day') ?? local.day,
      hour,
      minute,
    },
    { zone },
  );
  if (!wanted.isValid)
    return { ok: false, question: `"${echo(typed)}" is not a date that exists. ${example}` };
  const asked = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  if (wallClock(wanted) !== asked)
    return {
      ok: false,
      question: `The clocks change that night in ${zone}, so ${asked} does not happen on ${wanted.setLocale('en-GB').toFormat('cccc d LLLL')}. Please choose another time.`,
    };
  const earlier = wanted.minus({ hours: 1 });
  const later = wanted.plus({ hours: 1 });
  if (wallClock(earlier) === asked || wallClock(later) === asked)
    return {
      ok: false,
      question: `The clocks go back that night in ${zone}, so ${asked} happens twice on ${wanted.setLocale('en-GB').toFormat('cccc d LLLL')}. Please choose another time.`,
    };
  const at = wanted.toJSDate();
  // Read without pushing forward too: "1 December 2025" or "last Tuesday" were meant as typed.
  const [asTyped] = chrono.parse(typed, reference);
  const typedPast = asTyped && (start.isCertain('day') || PAST_WORDS.test(typed));
  if (at <= now || (typedPast && asTyped.start.date() <= reference))
    return {
      ok: false,
      question: `That would be ${longDate(typedPast ? fromChrono(asTyped.start, zone) : at, zone)}, which has already passed. When should the meeting be? ${example}`,
      passed: true,
    };
  if (wanted > local.plus({ years: MAX_YEARS_AHEAD }))
    return {
      ok: false,
      question: `That is more than ${MAX_YEARS_AHEAD} years away (${longDate(at, zone)}). Please plan meetings closer than that.`,
    };
  return { ok: true, at };
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_OF_MONTH = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const MONTH_WORD = '(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';
const DAY_FIRST = new RegExp(String.raw`\b${DAY_OF_MONTH}\s+(?:of\s+)?${MONTH_WORD}\b(?:\s+(\d{4}))?`, 'i');
const MONTH_FIRST = new RegExp(String.raw`\b${MONTH_WORD}\s+${DAY_OF_MONTH}\b(?:,?\s+(\d{4}))?`, 'i');

/** "February has no 31st: it has 28 days, 29 in a leap year." for a day past a month's end. */
function noSuchDay(typed: string): string | undefined {
  const dayFirst = DAY_FIRST.exec(typed);
  const monthFirst = dayFirst ? undefined : MONTH_FIRST.exec(typed);
  const [day, word, year] = dayFirst
    ? [dayFirst[1], dayFirst[2], dayFirst[3]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1], monthFirst[3]]
      : [];
  if (!day || !word) return undefined;
  const month = MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3))) + 1;
  if (month === 0) return undefined;
  const name = DateTime.fromObject({ year: 2028, month }).setLocale('en-GB').toFormat('LLLL');
  const days = DateTime.fromObject({ year: year ? Number(year) : 2027, month }).daysInMonth ?? 31;
  const n = Number(day);
  if (n <= days) return undefined;
  if (month === 2 && n === 29)
    return year ? `February ${year} has no 29th: ${year} is not a leap year.` : undefined;
  const lengths = month === 2 ? '28 days, 29 in a leap year' : `${days} days`;
  return `${name} has no ${ordinal(n)}: it has ${lengths}.`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st... */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function fromChrono(start: chrono.ParsedComponents, zone: string): Date {
  return DateTime.fromObject(
    {
      year: start.get('year') ?? undefined,
      month: start.get('month') ?? undefined,
      day: start.get('day') ?? undefined,
      hour: start.get('hour') ?? 0,
      minute: start.get('minute') ?? 0,
    },
    { zone },
  ).toJSDate();
}

/**
 * When the same meeting comes round again: the same wall-clock time in the group's timezone, so
 * a 14:00 meeting stays at 14:00 when the clocks change.
 */
export function nextOccurrence(at: Date, everyDays: number, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).plus({ days: everyDays }).toJSDate();
}
