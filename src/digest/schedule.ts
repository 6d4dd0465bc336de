/**
 * When a weekly digest goes out: a weekday and a local time in the group's timezone.
 *
 * All calendar maths goes through Luxon, in the group's zone, never through fixed offsets: "Monday
 * 09:00 in London" is 08:00 UTC in summer and 09:00 UTC in winter, and the digest must follow the
 * clocks people live by. A local time that does not exist on a spring-forward night is moved
 * forward by the gap (Luxon's rule), so the digest still goes out that week.
 */
import { DateTime } from 'luxon';
import { UserError } from '../errors.js';

export interface WeeklyTime {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** "HH:MM", 24-hour. */
  readonly localTime: string;
}

export const DEFAULT_DIGEST_TIME: WeeklyTime = { weekday: 1, localTime: '09:00' };

const WEEKDAYS: Readonly<Record<string, number>> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  weds: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

const DAY = /^([a-z]+?)s?$/;
const TIME = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/;

/**
 * Read "mon 09:00", "Monday 9am", "fri 14:30", "tuesdays at 5.15pm" or "09:00 mon".
 * Throws a UserError that says how to write it.
 */
export function parseWeeklyTime(input: string): WeeklyTime {
  const words = input
    .trim()
    .toLowerCase()
    .replace(/^["“”']|["“”']$/g, '')
    .replace(/,/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'at' && w !== 'on' && w !== 'every');
  // "9 am" → "9am"
  const joined: string[] = [];
  for (const w of words) {
    if ((w === 'am' || w === 'pm') && joined.length > 0) joined[joined.length - 1] += w;
    else joined.push(w);
  }
  let weekday: number | undefined;
  let time: { hour: number; minute: number } | undefined;
  for (const word of joined) {
    const day = WEEKDAYS[word] ?? WEEKDAYS[DAY.exec(word)?.[1] ?? ''];
    if (day !== undefined && weekday === undefined) {
      weekday = day;
      continue;
    }
    const t = TIME.exec(word);
    if (t && time === undefined) {
      let hour = Number(t[1]);
      const minute = t[2] === undefined ? 0 : Number(t[2]);
      const half = t[3];
      if (half !== undefined && (hour < 1 || hour > 12)) return unclear(input);
      if (half === 'pm' && hour < 12) hour += 12;
      if (half === 'am' && hour === 12) hour = 0;
      if (half === undefined && t[2] === undefined) return unclear(input); // "mon 9" is too vague
      if (hour > 23 || minute > 59) return unclear(input);
      time = { hour, minute };
      continue;
    }
    return unclear(input);
  }
  if (weekday === undefined || time === undefined) return unclear(input);
  return { weekday, localTime: `${pad(time.hour)}:${pad(time.minute)}` };
}

function unclear(input: string): never {
  throw new UserError(
    'digest_time_unclear',
    `I could not read "${input.trim()}" as a day and a time. ` +
      'Please give a weekday and a time, for example: /copro digest schedule "mon 09:00" or "friday 2:30pm".',
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The next `count` send times strictly after `after`, as instants. */
export function nextOccurrences(when: WeeklyTime, zone: string, after: Date, count: number): Date[] {
  const [hour, minute] = when.localTime.split(':').map(Number) as [number, number];
  const start = DateTime.fromJSDate(after, { zone });
  const at = (weeks: number) =>
    start
      .startOf('day')
      .plus({ days: (when.weekday - start.weekday + 7) % 7, weeks })
      .set({ hour, minute, second: 0, millisecond: 0 });
  const out: Date[] = [];
  for (let weeks = 0; out.length < count; weeks++) {
    const candidate = at(weeks);
    if (candidate.toMillis() > after.getTime()) out.push(candidate.toJSDate());
  }
  return out;
}

/** How many send times fall in (from, to]. */
export function occurrencesBetween(when: WeeklyTime, zone: string, from: Date, to: Date): number {
  let n = 0;
  let cursor = from;
  for (;;) {
    const [next] = nextOccurrences(when, zone, cursor, 1);
    if (!next || next.getTime() > to.getTime()) return n;
    n++;
    cursor = next;
  }
}

/**
 * "Monday 23 November 2026 at 09:00 (Europe/London time)", in the given zone: named as every other
 * time copro writes is, not by an abbreviation ("GMT-4" for New York says little to most people).
 */
export function formatSendTime(at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  return `${dt.toFormat("cccc d LLLL yyyy 'at' HH:mm")} (${dt.zoneName} time)`;
}

/** "Mondays at 09:00". */
export function describeWeeklyTime(when: WeeklyTime): string {
  const day = DateTime.fromObject({ weekday: when.weekday as 1 })
    .setLocale('en-GB')
    .toFormat('cccc');
  return `${day}s at ${when.localTime}`;
}

/** "Monday 23 November", in the given zone. */
export function formatDay(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat('cccc d LLLL');
}
