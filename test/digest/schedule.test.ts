import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatSendTime, nextOccurrences, parseWeeklyTime } from '../../src/digest/schedule.js';
import { UserError } from '../../src/errors.js';

const london = 'Europe/London';

describe('reading a weekly time', () => {
  it.each([
    ['mon 09:00', 1, '09:00'],
    ['Monday 9am', 1, '09:00'],
    ['"mon 09:00"', 1, '09:00'],
    ['tuesdays at 5.15pm', 2, '17:15'],
    ['09:00 mon', 1, '09:00'],
    ['fri 2:30 pm', 5, '14:30'],
    ['Sun 12am', 7, '00:00'],
    ['thurs 12pm', 4, '12:00'],
  ])('understands %s', (input, weekday, localTime) => {
    expect(parseWeeklyTime(input)).toEqual({ weekday, localTime });
  });

  it.each(['mon 9', 'funday 09:00', 'mon 25:00', 'mon 13pm', '09:00', 'monday', ''])(
    'asks again, with an example, when given %j',
    (input) => {
      expect(() => parseWeeklyTime(input)).toThrow(UserError);
      expect(() => parseWeeklyTime(input)).toThrow(/for example: \/copro digest schedule "mon 09:00"/);
    },
  );
});

describe('the next send times, in the group timezone', () => {
  it('keeps Monday 09:00 in London through the end of summer time (08:00 UTC, then 09:00 UTC)', () => {
    const times = nextOccurrences(
      { weekday: 1, localTime: '09:00' },
      london,
      new Date('2026-10-13T12:00:00Z'),
      3,
    );
    expect(times.map((d) => d.toISOString())).toEqual([
      '2026-10-19T08:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
      '2026-11-02T09:00:00.000Z',
    ]);
    expect(times.map((d) => formatSendTime(d, london))).toEqual([
      'Monday 19 October 2026 at 09:00 (Europe/London time)',
      'Monday 26 October 2026 at 09:00 (Europe/London time)',
      'Monday 2 November 2026 at 09:00 (Europe/London time)',
    ]);
  });

  it('keeps Monday 09:00 in London through the start of summer time', () => {
    const times = nextOccurrences(
      { weekday: 1, localTime: '09:00' },
      london,
      new Date('2027-03-22T09:00:00Z'),
      2,
    );
    expect(times.map((d) => d.toISOString())).toEqual([
      '2027-03-29T08:00:00.000Z',
      '2027-04-05T08:00:00.000Z',
    ]);
  });

  it('counts a send time exactly at "now" as gone, so a digest that just went is not repeated', () => {
    const [next] = nextOccurrences(
      { weekday: 1, localTime: '09:00' },
      london,
      new Date('2026-11-23T09:00:00Z'),
      1,
    );
    expect(next?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('moves a time that does not exist on the spring-forward night to just after the gap', () => {
    const [, onTheNight] = nextOccurrences(
      { weekday: 7, localTime: '01:30' },
      london,
      new Date('2027-03-20T12:00:00Z'),
      2,
    );
    expect(formatSendTime(onTheNight!, london)).toBe('Sunday 28 March 2027 at 02:30 (Europe/London time)');
  });

  it('always gives the chosen weekday and local time, a week apart, in any timezone', () => {
    const zones = [
      'Europe/London',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kolkata',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 4, max: 23 }), // away from the small hours when clocks change
        fc.constantFrom(0, 15, 30, 45),
        (after, zone, weekday, hour, minute) => {
          const localTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const times = nextOccurrences({ weekday, localTime }, zone, after, 3);
          expect(times[0]!.getTime()).toBeGreaterThan(after.getTime());
          expect(times[0]!.getTime() - after.getTime()).toBeLessThanOrEqual(7 * 24 * 3_600_000 + 3_600_000);
          for (const t of times) {
            const local = DateTime.fromJSDate(t, { zone });
            expect(local.weekday).toBe(weekday);
            expect(local.toFormat('HH:mm')).toBe(localTime);
          }
          for (let i = 1; i < times.length; i++) {
            const days = DateTime.fromJSDate(times[i]!, { zone }).diff(
              DateTime.fromJSDate(times[i - 1]!, { zone }),
              'days',
            );
            expect(days.days).toBe(7);
          }
        },
      ),
    );
  });
});
