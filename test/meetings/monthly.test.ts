import { describe, expect, it } from 'vitest';
import { readMeetingWhen } from '../../src/meetings/monthly.js';
import { describeEvery, monthlyRule, readEvery, seriesStarts } from '../../src/meetings/series.js';

const read = (text: string, now: string, zone = 'Europe/London') =>
  readMeetingWhen(text, new Date(now), zone);
const at = (text: string, now: string, zone = 'Europe/London') => {
  const result = read(text, now, zone);
  if (!result.ok) throw new Error(result.question);
  return result.at.toISOString();
};
const question = (text: string, now: string, zone = 'Europe/London') => {
  const result = read(text, now, zone);
  return result.ok ? `read as ${result.at.toISOString()}` : result.question;
};
/** The series a coordinator would get from `meeting new ... "WHEN" --every month`. */
const monthly = (text: string, now: string, zone: string) => {
  const result = readMeetingWhen(text, new Date(now), zone, { monthly: true });
  if (!result.ok) throw new Error(result.question);
  const rule = monthlyRule(result.at, zone, result.rule);
  return seriesStarts(result.at, 'monthly', rule, zone).map((d) => d.toISOString());
};

// Tuesday 1 December 2026, 10:00 in London.
const NOW = '2026-12-01T10:00:00Z';

describe('reading a day of the month, such as "first Tuesday 2pm"', () => {
  it('reads the first Tuesday as this month’s when it is still to come, today included', () => {
    expect(at('first Tuesday 2pm', NOW)).toBe('2026-12-01T14:00:00.000Z');
    expect(at('1st Tue at 14:00', NOW)).toBe('2026-12-01T14:00:00.000Z');
  });

  it('reads it as next month’s when this month’s has passed, to the minute', () => {
    expect(at('first Tuesday 9am', NOW)).toBe('2027-01-05T09:00:00.000Z');
    expect(at('first Tuesday 2pm', '2026-12-02T10:00:00Z')).toBe('2027-01-05T14:00:00.000Z');
  });

  it('reads the last, second, third and fourth of a weekday, and of a month named', () => {
    expect(at('last Friday of the month 10am', NOW)).toBe('2026-12-25T10:00:00.000Z');
    expect(at('every last Friday 10am', NOW)).toBe('2026-12-25T10:00:00.000Z');
    expect(at('the last Friday of the month at 10am', NOW)).toBe('2026-12-25T10:00:00.000Z');
    expect(at('2nd Wednesday 14:00', NOW)).toBe('2026-12-09T14:00:00.000Z');
    expect(at('third Thursday 2pm', NOW)).toBe('2026-12-17T14:00:00.000Z');
    expect(at('fourth Monday 2pm', NOW)).toBe('2026-12-28T14:00:00.000Z');
    expect(at('first Tuesday of January 2pm', NOW)).toBe('2027-01-05T14:00:00.000Z');
    expect(at('first Tuesday of next month 2pm', NOW)).toBe('2027-01-05T14:00:00.000Z');
  });

  it('reads "last Friday" alone as the Friday gone, and says how to mean the month’s last', () => {
    expect(question('last Friday 10am', NOW)).toBe(
      'That would be Friday 27 November 2026 at 10:00, which has already passed. When should the meeting be? Try something like "next Tuesday 2pm" or "8 December 14:00". For the last Friday of the month, type "last Friday of the month 10am".',
    );
    const monthly = readMeetingWhen('last Friday 10am', new Date(NOW), 'Europe/London', { monthly: true });
    expect(monthly.ok && monthly.at.toISOString()).toBe('2026-12-25T10:00:00.000Z');
  });

  it('hears "every month" in the words themselves, and only there', () => {
    for (const monthlyWords of [
      'first Tuesday of every month 2pm',
      'every first Tuesday 2pm',
      'first Tuesday 2pm every month',
    ]) {
      const result = read(monthlyWords, NOW);
      expect(result.ok && result.monthly).toBe(true);
    }
    const once = read('first Tuesday of the month 2pm', NOW);
    expect(once.ok && once.monthly).toBe(false);
  });

  it('asks the same questions as any other time', () => {
    expect(question('first Tuesday', NOW)).toBe('What time of day? Please add it, e.g. "first Tuesday 2pm".');
    expect(question('first Tuesday at 3', NOW)).toContain(
      'Is that 03:00 in the morning or 15:00 in the afternoon?',
    );
    expect(question('last Sunday of March 1:30am', NOW)).toBe(
      'The clocks change that night in Europe/London, so 01:30 does not happen on Sunday 28 March. Please choose another time.',
    );
    expect(question('first Tuesday of March 2025 2pm', NOW)).toContain(
      'Tuesday 4 March 2025 at 14:00, which has already passed',
    );
    expect(question('first Tuesday 2pm EST', NOW)).toContain('and leave out any other timezone');
    expect(question('every Tuesday 2pm', NOW)).toBe(
      'To repeat a meeting, give the day and time of the first one and add --every. For example: "next Tuesday 2pm" --every 1w, or "first Tuesday 2pm" --every month.',
    );
    expect(question('fifth Monday 2pm', NOW)).toBe(
      'Not every month has a fifth Monday. Please choose the first, second, third, fourth or last, e.g. "last Monday of the month 2pm".',
    );
    expect(question('first Tuesday of Smarch 2pm', NOW)).toBe(
      'copro could not read "Smarch" as a month. Try something like "first Tuesday of January 2pm", or "first Tuesday 2pm" for the next one.',
    );
  });
});

describe('a day that no month has', () => {
  it('says which month has no such day, rather than that it could not read it', () => {
    expect(question('31 February 2pm', NOW)).toBe(
      'February has no 31st: it has 28 days, 29 in a leap year. Try something like "next Tuesday 2pm" or "8 December 14:00".',
    );
    expect(question('April 31 2027 2pm', NOW)).toMatch(/^April has no 31st: it has 30 days\./);
    expect(question('29 February 2027 2pm', NOW)).toMatch(
      /^February 2027 has no 29th: 2027 is not a leap year\./,
    );
  });
});

describe('a monthly series', () => {
  it('keeps the first Tuesday at 14:00 in London as the clocks go forward and back', () => {
    expect(monthly('first Tuesday 2pm', '2027-02-01T10:00:00Z', 'Europe/London').slice(0, 3)).toEqual([
      '2027-02-02T14:00:00.000Z',
      '2027-03-02T14:00:00.000Z',
      '2027-04-06T13:00:00.000Z', // British Summer Time from 28 March
    ]);
    expect(monthly('first Tuesday 2pm', '2027-09-01T10:00:00Z', 'Europe/London').slice(0, 3)).toEqual([
      '2027-09-07T13:00:00.000Z',
      '2027-10-05T13:00:00.000Z',
      '2027-11-02T14:00:00.000Z', // back to GMT on 31 October
    ]);
  });

  it('keeps the first Tuesday at 14:00 in New York as the clocks go forward and back', () => {
    expect(monthly('first Tuesday 2pm', '2027-02-01T15:00:00Z', 'America/New_York').slice(0, 3)).toEqual([
      '2027-02-02T19:00:00.000Z',
      '2027-03-02T19:00:00.000Z',
      '2027-04-06T18:00:00.000Z', // daylight time from 14 March
    ]);
    expect(monthly('first Tuesday 2pm', '2027-10-01T15:00:00Z', 'America/New_York').slice(0, 3)).toEqual([
      '2027-10-05T18:00:00.000Z',
      '2027-11-02T18:00:00.000Z', // still daylight time until 7 November
      '2027-12-07T19:00:00.000Z',
    ]);
  });

  it('repeats on the last Friday, however long the month', () => {
    expect(monthly('last Friday 10am', NOW, 'Europe/London').slice(0, 4)).toEqual([
      '2026-12-25T10:00:00.000Z',
      '2027-01-29T10:00:00.000Z',
      '2027-02-26T10:00:00.000Z',
      '2027-03-26T10:00:00.000Z',
    ]);
  });

  it('repeats a plain date on the same day of each month, for six months', () => {
    const starts = monthly('8 December 2026 2pm', NOW, 'Europe/London');
    expect(starts).toHaveLength(7);
    expect(starts.slice(0, 2)).toEqual(['2026-12-08T14:00:00.000Z', '2027-01-08T14:00:00.000Z']);
  });

  it('asks for another time when one meeting of the series would fall when the clocks change', () => {
    expect(() => monthly('last Sunday of the month 1:30am', NOW, 'Europe/London')).toThrow(
      'One meeting of this series would fall on a night the clocks change: the clocks change that night in Europe/London, so 01:30 does not happen on Sunday 28 March 2027. Please choose another time. Nothing was planned.',
    );
    expect(() =>
      monthly('first Sunday of the month 1:30am', '2027-09-01T10:00:00Z', 'America/New_York'),
    ).toThrow('so 01:30 happens twice on Sunday 7 November 2027');
  });

  it('refuses a day of the month that some months do not have, plainly', () => {
    expect(() => monthly('30 December 2026 2pm', NOW, 'Europe/London')).toThrow(
      'Not every month has a 30th, so a meeting on the 30th cannot repeat monthly. Please choose a day from the 1st to the 28th, or a day such as "last Friday 2pm".',
    );
  });
});

describe('how often a meeting repeats', () => {
  it('reads weeks, days and months, and says them back', () => {
    expect(readEvery('4w')).toEqual({ days: 28 });
    expect(readEvery('14d')).toEqual({ days: 14 });
    for (const month of ['month', 'monthly', '1 month', 'Month']) expect(readEvery(month)).toBe('monthly');
    expect(readEvery('week')).toEqual({ days: 7 });
    expect(readEvery('fortnightly')).toEqual({ days: 14 });
    expect(describeEvery({ days: 28 }, undefined)).toBe('every 4 weeks');
    expect(describeEvery({ days: 10 }, undefined)).toBe('every 10 days');
    expect(describeEvery('monthly', { kind: 'weekday', nth: 1, weekday: 2 })).toBe(
      'monthly, on the first Tuesday',
    );
    expect(describeEvery('monthly', { kind: 'weekday', nth: -1, weekday: 5 })).toBe(
      'monthly, on the last Friday',
    );
    expect(describeEvery('monthly', { kind: 'day', day: 8 })).toBe('monthly, on the 8th');
  });

  it('refuses what it cannot repeat by, plainly', () => {
    expect(() => readEvery('90m')).toThrow('"90m" is not how often a meeting can repeat.');
    expect(() => readEvery('3 months')).toThrow(
      'A meeting can repeat every month, but not every few months.',
    );
    expect(() => readEvery('0d')).toThrow('is not how often a meeting can repeat');
  });
});
