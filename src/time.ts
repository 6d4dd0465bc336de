import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { parseDurationMinutes } from './commands/values.js';

/**
 * Read "3d", "friday 5pm" or "27 Nov 17:00" as a moment, in the group's timezone. chrono-node
 * reads the words; Luxon places the wall-clock time in the zone, so daylight saving is right.
 * A day without a time means the end of that day.
 */
export function parseWhen(text: string, now: Date, timezone: string): Date | undefined {
  const minutes = parseDurationMinutes(text);
  if (minutes !== undefined) return new Date(now.getTime() + minutes * 60_000);
  const local = DateTime.fromJSDate(now, { zone: timezone });
  // chrono works in the process's own zone: hand it the group's wall-clock time as if local.
  const reference = new Date(local.year, local.month - 1, local.day, local.hour, local.minute);
  const [found] = chrono.parse(text, reference, { forwardDate: true });
  if (!found || found.text.trim().length < text.trim().length - 1) return undefined;
  const start = found.start;
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
  return at.isValid ? at.toJSDate() : undefined;
}

/** "Thursday 26 November at 17:00", in the given zone: the one way copro shows a moment. */
export function formatWhen(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm");
}
