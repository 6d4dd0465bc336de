import { describe, expect, it } from 'vitest';
import { shareTime } from '../../src/meetings/timing.js';
import { readMeetingTime } from '../../src/meetings/when.js';

const read = (text: string, now: string, zone: string) => readMeetingTime(text, new Date(now), zone);
const at = (text: string, now: string, zone: string) => {
  const result = read(text, now, zone);
  if (!result.ok) throw new Error(result.question);
  return result.at.toISOString();
};
const question = (text: string, now: string, zone: string) => {
  const result = read(text, now, zone);
  return result.ok ? `read as ${result.at.toISOString()}` : result.question;
};

describe('reading when a meeting is, across the clocks changing in Europe/London', () => {
  const zone = 'Europe/London';
  const saturday = '2027-03-27T12:00:00Z'; // the clocks go forward on Sunday 28 March at 01:00

  it('places a 2pm meeting after the change an hour earlier in UTC, and one before it at 14:00 UTC', () => {
    expect(at('next Monday 2pm', saturday, zone)).toBe('2027-03-29T13:00:00.000Z');
    expect(at('today 2pm', saturday, zone)).toBe('2027-03-27T14:00:00.000Z');
  });

  it('asks about a time the clocks skip, and one they pass twice', () => {
    expect(question('28 March 2027 01:30', saturday, zone)).toBe(
      'The clocks change that night in Europe/London, so 01:30 does not happen on Sunday 28 March. Please choose another time.',
    );
    expect(question('31 October 2027 01:30', saturday, zone)).toBe(
      'The clocks go back that night in Europe/London, so 01:30 happens twice on Sunday 31 October. Please choose another time.',
    );
  });
});

describe('reading when a meeting is, across the clocks changing in America/New_York', () => {
  const zone = 'America/New_York';
  const wednesday = '2027-03-10T15:00:00Z'; // the clocks go forward on Sunday 14 March at 02:00

  it('reads the same 2pm as a different UTC time on each side of the change', () => {
    expect(at('Friday 2pm', wednesday, zone)).toBe('2027-03-12T19:00:00.000Z');
    expect(at('Monday 2pm', wednesday, zone)).toBe('2027-03-15T18:00:00.000Z');
  });

  it('asks about a time the clocks skip, and one they pass twice', () => {
    expect(question('14 March 2027 2:30am', wednesday, zone)).toContain('does not happen on Sunday 14 March');
    expect(question('7 November 2027 1:30am', wednesday, zone)).toContain(
      'happens twice on Sunday 7 November',
    );
  });
});

describe('asking rather than guessing', () => {
  const now = '2026-12-01T10:00:00Z';
  const zone = 'Europe/London';

  it('asks morning or afternoon for an hour that could be either', () => {
    expect(question('Thursday at 4', now, zone)).toBe(
      'Is that 04:00 in the morning or 16:00 in the afternoon? Please add am or pm, or use the 24-hour clock.',
    );
    expect(at('Thursday at 10', now, zone)).toBe('2026-12-03T10:00:00.000Z');
    expect(at('Thursday 16:00', now, zone)).toBe('2026-12-03T16:00:00.000Z');
  });

  it('says a time in the past has passed, however it was written', () => {
    for (const past of ['yesterday 2pm', 'last Monday 2pm', '30 November 2026 14:00', 'today 9am'])
      expect(question(past, now, zone)).toContain('which has already passed');
  });

  it('refuses a timezone typed with the time, and a time years away', () => {
    expect(question('Friday 2pm GMT', now, zone)).toContain('and leave out any other timezone');
    expect(question('Friday 2pm EST', now, zone)).toContain('and leave out any other timezone');
    expect(question('1 January 2031 2pm', now, zone)).toContain('more than 2 years away');
  });
});

describe('sharing an agenda’s time', () => {
  it('gives items without their own minutes an equal share of what is left, adding up exactly', () => {
    const timing = shareTime([10, null, null], 65);
    expect(timing.slots).toEqual([
      { start: 0, minutes: 10 },
      { start: 10, minutes: 27 },
      { start: 37, minutes: 28 },
    ]);
    expect(timing.problem).toBeUndefined();
  });

  it('says when the items need more than the meeting, when nothing is left, and when time is spare', () => {
    expect(shareTime([60, 40], 90).problem).toBe(
      "The items need 100 minutes, 10 more than the meeting's 90.",
    );
    expect(shareTime([90, null], 90).problem).toBe(
      "1 item has no time left: the others fill the meeting's 90 minutes.",
    );
    expect(shareTime([30], 90).problem).toBe(
      "The items take 30 minutes, which leaves 60 of the meeting's 90 spare.",
    );
    expect(shareTime([], 90).problem).toBeUndefined();
  });
});
