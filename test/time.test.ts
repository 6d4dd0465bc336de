import { describe, expect, it } from 'vitest';
import { parseWhen } from '../src/time.js';

/** When something ends ("--closes"): typed times read in the group's zone, or the zone named. */
const thursday = new Date('2026-12-03T12:00:00Z');
const when = (text: string) => parseWhen(text, thursday, 'Europe/London')?.toISOString();

describe('reading a closing time', () => {
  it('keeps a day and month that passed lately in the past, where it used to become next year', () => {
    expect(when('27 Nov 17:00')).toBe('2026-11-27T17:00:00.000Z');
    expect(when('1 Dec')).toBe('2026-12-01T23:59:00.000Z');
  });

  it('still reads a day and month soon in the new year as next year', () => {
    expect(when('5 Jan 17:00')).toBe('2027-01-05T17:00:00.000Z');
    expect(when('27 Nov 2027 17:00')).toBe('2027-11-27T17:00:00.000Z');
    expect(when('friday 5pm')).toBe('2026-12-04T17:00:00.000Z');
  });

  it('reads a time on the clock of a zone it names, not the group’s', () => {
    expect(when('2pm EST')).toBe('2026-12-03T19:00:00.000Z');
    expect(when('friday 9am CET')).toBe('2026-12-04T08:00:00.000Z');
  });
});

describe('reading a closing time on the clock of a zone the words name', () => {
  it('keeps a day and month with a zone that passed lately in the past, as without one', () => {
    expect(when('27 Nov 5pm EST')).toBe('2026-11-27T22:00:00.000Z');
    expect(when('1 Dec 5pm UTC')).toBe('2026-12-01T17:00:00.000Z');
    expect(when('5 Jan 5pm EST')).toBe('2027-01-05T22:00:00.000Z');
  });

  it('takes a time alone as the next one on that clock, wherever the group is', () => {
    // 22:00 in Kiritimati (UTC+14) is 08:00 UTC: noon UTC is four hours away, not a day.
    const lateThere = new Date('2026-12-03T08:00:00Z');
    const far = (text: string) => parseWhen(text, lateThere, 'Pacific/Kiritimati')?.toISOString();
    expect(far('noon UTC')).toBe('2026-12-03T12:00:00.000Z');
    expect(far('2pm EST')).toBe('2026-12-03T19:00:00.000Z');
    expect(far('3 Dec 9am EST')).toBe('2026-12-03T14:00:00.000Z');
    // 01:00 UTC on the 4th is 20:00 on the 3rd in New York: 9pm EST is an hour away.
    const evening = parseWhen('9pm EST', new Date('2026-12-04T01:00:00Z'), 'Europe/London');
    expect(evening?.toISOString()).toBe('2026-12-04T02:00:00.000Z');
  });
});
