import * as chrono from 'chrono-node';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { parseDurationMinutes } from './commands/values.js';

/**
 * Read "3d", "friday 5pm" or "27 Nov 17:00" as a moment, in the group's timezone. chrono-node
 * reads the words; Luxon places the wall-clock time in the zone, so daylight saving is right.
 * A day without a time means the end of that day.
 */
export function parseWhen(text: string, now: Date, timezone: string): Date | undefined {
  const minutes = parseDurationMinutes(text);
  if (minutes !== undefined) return new Date(now.getTime() + minutes * 60_000);
  // A length of nothing ("0d") must not fall through to chrono, which reads it as today.
  if (isNoLength(text)) return undefined;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  // chrono works in the process's own zone: hand it the group's wall-clock time as if local.
  const reference = new Date(local.year, local.month - 1, local.day, local.hour, local.minute);
  const [found] = chrono.parse(text, reference, { forwardDate: true });
  if (!found || found.text.trim().length < text.trim().length - 1) return undefined;
  const start = found.start;
  // A zone in the words ("2pm EST") says which clock the time is on.
  if (start.isCertain('timezoneOffset')) {
    const [onItsClock] = chrono.parse(text, reference);
    return onItsClock ? onZonedClock(onItsClock.start, now) : undefined;
  }
  const hasTime = start.isCertain('hour');
  const at = DateTime.fromObject(
    {
      year: start.get('year') ?? local.year,
      month: start.get('month') ?? local.month,
      day: start.get('day') ?? local.day,
      hour: hasTime ? (start.get('hour') ?? 0) : 23,
      minute: hasTime ? (start.get('minute') ?? 0) : 59,
    },
    { zone: timezone },
  );
  if (!at.isValid) return undefined;
  // chrono moves a day and month with no year ahead to the next one that comes, so a day that
  // passed last week would be read as a year away. Nobody means that: it stays in the past, for
  // the caller to answer as passed.
  if (!start.isCertain('year') && start.isCertain('month') && at.diff(local, 'days').days > HALF_A_YEAR_DAYS)
    return at.minus({ years: 1 }).toJSDate();
  return at.toJSDate();
}

const HALF_A_YEAR_DAYS = 183;

/**
 * A time on the clock of the zone the words name ("2pm EST", "Friday 9am CET", "27 Nov 5pm UTC"),
 * as parseWhen reads one on the group's: a time alone is the next one on that clock, a weekday
 * the next such day, a day and month within half a year either way. chrono's own look-ahead is
 * not used here: it compares with the group's wall-clock time, not with that zone's.
 */
function onZonedClock(start: chrono.ParsedComponents, now: Date): Date | undefined {
  const zone = FixedOffsetZone.instance(start.get('timezoneOffset') ?? 0);
  const there = DateTime.fromJSDate(now, { zone });
  const weekday = start.isCertain('weekday') && !start.isCertain('day');
  const dated = start.isCertain('day') || weekday;
  const hasTime = start.isCertain('hour');
  let at = DateTime.fromObject(
    {
      year: start.isCertain('year') || weekday ? (start.get('year') ?? there.year) : there.year,
      month: dated ? (start.get('month') ?? there.month) : there.month,
      day: dated ? (start.get('day') ?? there.day) : there.day,
      hour: hasTime ? (start.get('hour') ?? 0) : 23,
      minute: hasTime ? (start.get('minute') ?? 0) : 59,
    },
    { zone },
  );
  if (!at.isValid) return undefined;
  const moment = DateTime.fromJSDate(now);
  if (!dated) while (at <= moment) at = at.plus({ days: 1 });
  else if (weekday) {
    while (at.minus({ weeks: 1 }) > moment) at = at.minus({ weeks: 1 });
    while (at <= moment) at = at.plus({ weeks: 1 });
  } else if (!start.isCertain('year')) {
    const days = at.diff(moment, 'days').days;
    if (days > HALF_A_YEAR_DAYS) at = at.minus({ years: 1 });
    else if (days < -HALF_A_YEAR_DAYS) at = at.plus({ years: 1 });
  }
  return at.toJSDate();
}

/** A length of nothing: "0d", "0 hours". */
export function isNoLength(text: string): boolean {
  return /^\s*0+(\.0*)?\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*$/i.test(text);
}

/** "Thursday 26 November at 17:00", in the given zone: the one way copro shows a moment. */
export function formatWhen(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm");
}

/** Abbreviations people type for a zone, and a place that keeps the clocks they mean. */
const PLACES: Readonly<Record<string, string>> = {
  GMT: 'Europe/London',
  BST: 'Europe/London',
  UTC: 'Europe/London',
  WET: 'Europe/Lisbon',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  MET: 'Europe/Paris',
  EET: 'Europe/Athens',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  HST: 'Pacific/Honolulu',
  AEST: 'Australia/Sydney',
  IST: 'Asia/Kolkata',
};

export type TimezoneReading = { ok: true; zone: string } | { ok: false; problem: string };

/**
 * A timezone as typed ("europe/london") in its proper spelling ("Europe/London"). Only place
 * names are taken: an abbreviation such as EST is a fixed offset with no summer time, so a
 * group that typed it would see its meetings an hour out for half the year.
 */
export function readTimezone(raw: string): TimezoneReading {
  const typed = raw.trim();
  const suggestion = PLACES[typed.toUpperCase()];
  const placeName = /^[A-Za-z_-]+(\/[A-Za-z0-9_+-]+)+$/.test(typed) && !/^etc\//i.test(typed);
  if (!placeName || !IANAZone.isValidZone(typed)) {
    const example = suggestion ?? 'Europe/London or America/New_York';
    const fixed = suggestion !== undefined || /^(etc\/|utc|gmt)/i.test(typed);
    const city = fixed ? undefined : zoneOfCity(typed);
    return {
      ok: false,
      problem: fixed
        ? `"${typed}" is a fixed offset with no summer time. Please use a place name instead, such as ${example}.`
        : city
          ? `"${typed}" needs its region too: please type ${city}.`
          : `"${typed}" is not a timezone copro knows. Please use a place name, such as ${example}.`,
    };
  }
  // ICU knows each zone's spelling; for an older alias it gives the zone's other name, so a
  // name typed with capitals is kept as typed.
  const resolved = new Intl.DateTimeFormat('en', { timeZone: typed }).resolvedOptions().timeZone;
  const sameName = resolved.toLowerCase() === typed.toLowerCase();
  return { ok: true, zone: sameName || typed === typed.toLowerCase() ? resolved : typed };
}

/**
 * The nth such weekday (1 Monday to 7 Sunday) of the month `inMonth` falls in, at its start of
 * day: nth 1 is the first, 2 the second..., -1 the last. Shared by every "first Tuesday of the
 * month" copro keeps, so they all count the same way.
 */
export function nthWeekdayOfMonth(inMonth: DateTime, weekday: number, nth: number): DateTime {
  if (nth < 0) {
    const last = inMonth.endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - weekday + 7) % 7 });
  }
  const first = inMonth.startOf('month');
  return first.plus({ days: ((weekday - first.weekday + 7) % 7) + (nth - 1) * 7 });
}

/**
 * The timezone named after a city typed on its own ("London", "new york"): the place name people
 * try first, which "Please use a place name" would only confuse. Undefined unless exactly one fits.
 */
function zoneOfCity(typed: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z .'-]*$/.test(typed)) return undefined;
  const wanted = typed.replace(/\s+/g, '_').toLowerCase();
  const found = Intl.supportedValuesOf('timeZone').filter(
    (zone) => zone.split('/').at(-1)?.toLowerCase() === wanted,
  );
  return found.length === 1 ? found[0] : undefined;
}
