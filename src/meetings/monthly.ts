/**
 * "first Tuesday 2pm", "last Friday of the month 10am", "2nd Wednesday of January 14:00": the way
 * groups name the day they meet each month. The words are turned into the next such date that
 * has not passed, and that date with the time goes through readMeetingTime, so every question it
 * asks (morning or afternoon, the clocks changing, a time already past) is asked here too.
 */
import { DateTime } from 'luxon';
import { nthWeekdayOfMonth } from '../time.js';
import { type MeetingTime, ordinal, readMeetingTime } from './when.js';

/** How a monthly meeting comes round: on its nth weekday, or on the same day of the month. */
export type MonthlyRule =
  | { readonly kind: 'weekday'; readonly nth: number; readonly weekday: number }
  | { readonly kind: 'day'; readonly day: number };

export type MeetingWhen =
  | { ok: true; at: Date; rule?: MonthlyRule; monthly: boolean }
  | { ok: false; question: string };

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  last: -1,
};
const ORDINAL_WORDS = ['last', 'first', 'second', 'third', 'fourth'];

const WEEKDAYS: Readonly<Record<string, number>> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

const PATTERN =
  /^(?:(every|each)\s+)?(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last)\s+([a-z]+)\b(?:\s+(?:of|in)\s+(?:((?:the|this)\s+month)|(next)\s+month|(every|each)\s+month|([a-z]+)(?:\s+(\d{4}))?))?[\s,]*(.*)$/i;
const MONTHLY_AFTER = /[\s,]*\b(?:(?:every|each)\s+month|monthly)\s*$/i;

function weekdayOf(word: string): number | undefined {
  const w = word.toLowerCase();
  const n = WEEKDAYS[w.slice(0, 3)];
  const full =
    n &&
    DateTime.fromObject({ weekday: n as 1 })
      .setLocale('en-GB')
      .toFormat('cccc')
      .toLowerCase();
  // "tue", "tues", "tuesday" and "tuesdays", not "tuba".
  return full && (full.startsWith(w) || `${full}s` === w) ? n : undefined;
}

function monthOf(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  for (let month = 1; month <= 12; month++) {
    const name = DateTime.fromObject({ year: 2028, month }).setLocale('en-GB').toFormat('LLLL').toLowerCase();
    if (name.startsWith(w) || (w === 'sept' && month === 9)) return month;
  }
  return undefined;
}

/** "the first Tuesday", "the last Friday". */
export function describeRule(rule: MonthlyRule): string {
  if (rule.kind === 'day') return `the ${ordinal(rule.day)}`;
  const day = DateTime.fromObject({ weekday: rule.weekday as 1 })
    .setLocale('en-GB')
    .toFormat('cccc');
  return `the ${ORDINAL_WORDS[rule.nth < 0 ? 0 : rule.nth]} ${day}`;
}

/** The day this rule gives in the month `inMonth` falls in (a day that exists, for 'day' rules 1 to 28). */
export function dayInMonth(rule: MonthlyRule, inMonth: DateTime): DateTime {
  return rule.kind === 'day'
    ? inMonth.startOf('month').set({ day: rule.day })
    : nthWeekdayOfMonth(inMonth, rule.weekday, rule.nth);
}

/**
 * When a meeting is, as typed: "next Tuesday 2pm" as readMeetingTime reads it, or a day of the
 * month ("first Tuesday 2pm"), which also says how it comes round; `monthly` when the words
 * themselves ask for every month ("every first Tuesday", "first Tuesday of every month").
 */
export function readMeetingWhen(
  text: string,
  now: Date,
  zone: string,
  /** `month`: a meeting moved within its own month ("second Tuesday") is read in that month. */
  options: { readonly monthly?: boolean; readonly month?: Date } = {},
): MeetingWhen {
  const typed = text.trim().replace(/\s+/g, ' ');
  const fifth = /^(?:(?:every|each)\s+)?(?:the\s+)?(?:fifth|5th)\s+([a-z]+)/i.exec(typed);
  if (fifth && weekdayOf(fifth[1]!) !== undefined)
    return {
      ok: false,
      question: `Not every month has a fifth ${fifth[1]}. Please choose the first, second, third, fourth or last, e.g. "last ${fifth[1]} of the month 2pm".`,
    };
  const m = PATTERN.exec(typed);
  const weekday = m ? weekdayOf(m[3]!) : undefined;
  const [, everyBefore, nthWord, , ofMonth, nextMonth, everyMonth, monthWord, yearWord] = m ?? [];
  const monthlyAfter = MONTHLY_AFTER.test(m?.[9] ?? '');
  const ofAMonth = ofMonth || nextMonth || everyMonth || monthWord || everyBefore || monthlyAfter;
  // "last Friday" alone is the Friday gone; it is the month's last only when months are meant.
  const lastGone = nthWord?.toLowerCase() === 'last' && !ofAMonth && !options.monthly;
  if (!m || weekday === undefined || lastGone) {
    const read = readMeetingTime(text, now, zone);
    if (!read.ok && /^(?:every|each)\b/i.test(typed))
      return {
        ok: false,
        question:
          'To repeat a meeting, give the day and time of the first one and add --every. For example: "next Tuesday 2pm" --every 1w, or "first Tuesday 2pm" --every month.',
      };
    if (read.ok) return { ok: true, at: read.at, monthly: false };
    if (!lastGone || !read.passed) return read;
    const hint = `For the last ${m?.[3]} of the month, type "last ${m?.[3]} of the month ${(m?.[9] ?? '').trim() || '2pm'}".`;
    return { ok: false, question: `${read.question} ${hint}` };
  }
  const rest = (m[9] ?? '').replace(MONTHLY_AFTER, '').trim();
  const rule: MonthlyRule = { kind: 'weekday', nth: ORDINALS[nthWord!.toLowerCase()]!, weekday };
  const named = `${nthWord} ${m[3]}`;
  if (!rest) return { ok: false, question: `What time of day? Please add it, e.g. "${named} 2pm".` };
  let month: number | undefined;
  if (monthWord) {
    month = monthOf(monthWord);
    if (month === undefined)
      return {
        ok: false,
        question: `copro could not read "${monthWord}" as a month. Try something like "${named} of January 2pm", or "${named} 2pm" for the next one.`,
      };
  }
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.startOf('day');
  let candidate = local.startOf('month');
  const own = options.month && DateTime.fromJSDate(options.month, { zone }).startOf('month');
  if (own && own > candidate) candidate = own;
  if (nextMonth) candidate = candidate.plus({ months: 1 });
  if (month !== undefined) {
    candidate = candidate.set({ month, ...(yearWord ? { year: Number(yearWord) } : {}) });
    if (!yearWord && candidate < local.startOf('month')) candidate = candidate.plus({ years: 1 });
  }
  const step = month !== undefined ? { years: 1 } : { months: 1 };
  let read: MeetingTime = { ok: false, question: '' };
  // A few tries: this month's may be over, or be today at an hour already gone.
  for (let tries = 0; tries < 3; tries++, candidate = candidate.plus(step)) {
    const day = dayInMonth(rule, candidate);
    if (day < today && !yearWord) continue;
    read = readMeetingTime(`${day.toFormat('d LLLL yyyy')} ${rest}`, now, zone);
    if (read.ok || !read.passed || yearWord) break;
  }
  if (!read.ok) return read;
  return { ok: true, at: read.at, rule, monthly: Boolean(everyBefore || everyMonth || monthlyAfter) };
}
