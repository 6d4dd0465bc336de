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
