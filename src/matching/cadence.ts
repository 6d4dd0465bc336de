/**
 * How often a group's peer rounds run by themselves: every 1 to 12 weeks on a weekday, or on the
 * first such weekday of each month, at a local time in the group's timezone.
 *
 * All calendar maths goes through Luxon in the group's zone, so "Monday 10:00" stays 10:00 on the
 * clocks people live by across daylight saving changes. Every N weeks is counted from the first
 * round of the series (its anchor), so a fortnightly rhythm keeps its weeks.
 */
import { DateTime } from 'luxon';
import { parseWeeklyTime, type WeeklyTime } from '../digest/schedule.js';
import { UserError } from '../errors.js';
import { nthWeekdayOfMonth } from '../time.js';

export const MAX_INTERVAL_WEEKS = 12;
const WEEK_MS = 7 * 24 * 3_600_000;

export interface Cadence extends WeeklyTime {
  /** 1 to 12 weeks; undefined means monthly (the first such weekday of each month). */
  readonly intervalWeeks?: number;
}

/** A cadence with the first round of its series. */
export interface RoundSchedule extends Cadence {
  readonly anchor: Date;
}

const EXAMPLE = 'for example "every 2 weeks on Monday 10:00", "monthly on Tuesday 14:00" or "off"';

const NUMBERS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

const FREQUENCIES: readonly [RegExp, (m: RegExpExecArray) => number | 'monthly'][] = [
  [/\bevery\s+(\d{1,3})\s*(?:w|wk|wks|week|weeks)\b/, (m) => Number(m[1])],
  [
    /\bevery\s+(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+weeks?\b/,
    (m) => NUMBERS[m[1]!]!,
  ],
  [/\b(\d{1,3})\s*(?:w|wk|wks|week|weeks)\b/, (m) => Number(m[1])],
  [/\b(?:every\s+other\s+week|every\s+fortnight|fortnightly|biweekly)\b/, () => 2],
  [/\b(?:every\s+week|weekly)\b/, () => 1],
  [/\b(?:monthly|every\s+month|each\s+month|once\s+a\s+month)\b/, () => 'monthly'],
];

/** "off", "stop", "none": no automatic rounds. */
export function isOff(input: string): boolean {
  return /^\s*["“”']?\s*(off|stop|none|never|no)\s*["“”']?\s*$/i.test(input);
}

/** Read "every 2 weeks on Monday 10:00", "4w fri 2pm" or "monthly on tuesday 14:00". */
export function parseCadence(input: string): Cadence {
  const text = input
    .trim()
    .toLowerCase()
    .replace(/^["“”']|["“”']$/g, '');
  let interval: number | 'monthly' | undefined;
  let rest = text;
  for (const [pattern, read] of FREQUENCIES) {
    const m = pattern.exec(rest);
    if (!m) continue;
    interval = read(m);
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    break;
  }
  if (interval === undefined) {
    throw new UserError(
      'match_schedule_unclear',
      `I could not tell how often from "${shorten(input)}". Please say how often, a weekday and a time, ${EXAMPLE}.`,
    );
  }
  if (interval !== 'monthly' && (interval < 1 || interval > MAX_INTERVAL_WEEKS)) {
    throw new UserError(
      'match_schedule_interval',
      `Rounds can be every 1 to ${MAX_INTERVAL_WEEKS} weeks, or monthly. Please choose one of those, ${EXAMPLE}.`,
    );
  }
  let when: WeeklyTime;
  try {
    // "monthly on the first Monday of the month at 10:00"
    when = parseWeeklyTime(rest.replace(/\b(the|first|of|month|and)\b/g, ' '));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      'match_schedule_unclear',
      `I could not read a weekday and a time in "${shorten(input)}". Please give both, ${EXAMPLE}.`,
    );
  }
  return interval === 'monthly' ? when : { ...when, intervalWeeks: interval };
}

function shorten(input: string): string {
  const chars = [...input.trim()];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : chars.join('');
}

/** Half a cycle: a late round is never followed sooner than this by the next one. */
export function halfCycleMs(cadence: Cadence): number {
  return ((cadence.intervalWeeks ?? 4) * WEEK_MS) / 2;
}

function timeOf(cadence: Cadence): { hour: number; minute: number } {
  const [hour, minute] = cadence.localTime.split(':').map(Number) as [number, number];
  return { hour, minute };
}

/** The first time this cadence falls strictly after `after` (ignoring any anchor). */
export function firstAfter(cadence: Cadence, zone: string, after: Date): Date {
  const { hour, minute } = timeOf(cadence);
  const start = DateTime.fromJSDate(after, { zone });
  if (cadence.intervalWeeks === undefined) {
    for (let months = 0; ; months++) {
      const day = nthWeekdayOfMonth(start.startOf('month').plus({ months }), cadence.weekday, 1);
      const at = day.set({ hour, minute, second: 0, millisecond: 0 });
      if (at.toMillis() > after.getTime()) return at.toJSDate();
    }
  }
  for (let weeks = 0; ; weeks++) {
    const at = start
      .startOf('day')
      .plus({ days: (cadence.weekday - start.weekday + 7) % 7, weeks })
      .set({ hour, minute, second: 0, millisecond: 0 });
    if (at.toMillis() > after.getTime()) return at.toJSDate();
  }
}

/** The next round of a schedule strictly after `after`, keeping its every-N-weeks rhythm. */
export function nextRound(schedule: RoundSchedule, zone: string, after: Date): Date {
  const weeks = schedule.intervalWeeks;
  if (weeks === undefined) return firstAfter(schedule, zone, after);
  const { hour, minute } = timeOf(schedule);
  const anchor = DateTime.fromJSDate(schedule.anchor, { zone });
  const at = (k: number) =>
    anchor
      .plus({ weeks: k * weeks })
      .set({ hour, minute, second: 0, millisecond: 0 })
      .toJSDate();
  // Start a cycle early: daylight saving moves the wall clock by up to an hour either way.
  let k = Math.max(0, Math.floor((after.getTime() - schedule.anchor.getTime()) / (weeks * WEEK_MS)) - 1);
  while (at(k).getTime() <= after.getTime()) k++;
  return at(k);
}

/** "every 2 weeks on Mondays at 10:00", "monthly, on the first Tuesday at 14:00". */
export function describeCadence(cadence: Cadence): string {
  const day = DateTime.fromObject({ weekday: cadence.weekday as 1 })
    .setLocale('en-GB')
    .toFormat('cccc');
  if (cadence.intervalWeeks === undefined) return `monthly, on the first ${day} at ${cadence.localTime}`;
  const every = cadence.intervalWeeks === 1 ? 'every week' : `every ${cadence.intervalWeeks} weeks`;
  return `${every} on ${day}s at ${cadence.localTime}`;
}
