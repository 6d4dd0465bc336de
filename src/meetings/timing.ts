/**
 * How an agenda's time is shared out. Items that asked for a number of minutes get it; the rest
 * share what is left equally, so the timings add up to the meeting's length. When they cannot
 * (the asked-for minutes are more than the meeting, or nothing is left for the others), the
 * agenda says so plainly rather than squeezing anyone's item without telling them.
 */
import { plural } from '../text.js';

export interface Slot {
  /** Minutes from the meeting's start. */
  readonly start: number;
  readonly minutes: number;
}

export interface Timing {
  readonly slots: readonly Slot[];
  /** What does not add up, in a sentence; undefined when the timings fill the meeting exactly. */
  readonly problem?: string;
}

export function shareTime(asked: readonly (number | null)[], length: number): Timing {
  const fixed = asked.reduce<number>((sum, m) => sum + (m ?? 0), 0);
  const open = asked.filter((m) => m === null).length;
  const left = length - fixed;
  const share = open > 0 && left > 0 ? Math.floor(left / open) : 0;
  // The minutes lost to rounding go to the last item without its own, so the sum is exact.
  const lastOpen = asked.lastIndexOf(null);
  let start = 0;
  const slots = asked.map((m, i) => {
    const minutes = m ?? (i === lastOpen && left > 0 ? left - share * (open - 1) : share);
    const slot = { start, minutes };
    start += minutes;
    return slot;
  });
  let problem: string | undefined;
  if (fixed > length)
    problem = `The items need ${fixed} minutes, ${fixed - length} more than the meeting's ${length}.`;
  else if (open > 0 && left <= 0)
    problem = `${plural(open, 'item has', 'items have')} no time left: the others fill the meeting's ${length} minutes.`;
  else if (open === 0 && asked.length > 0 && fixed < length)
    problem = `The items take ${fixed} minutes, which leaves ${length - fixed} of the meeting's ${length} spare.`;
  return { slots, problem };
}
