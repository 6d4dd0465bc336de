import { describe, expect, it } from 'vitest';
import { readBound, readDay } from '../../src/involvement/days.js';

/** Days typed for a record look back: the day meant is the last one, never one to come. */
const thursday = new Date('2026-12-03T12:00:00Z');
const zone = 'Europe/London';
const day = (text: string) => readDay(text, thursday, zone);

describe('reading the day of an involvement record', () => {
  it('takes a day of the week as the last one, on the days after today in the week too', () => {
    expect(day('Friday')).toEqual({ ok: true, day: '2026-11-27' });
    expect(day('Saturday')).toEqual({ ok: true, day: '2026-11-28' });
    expect(day('Sunday')).toEqual({ ok: true, day: '2026-11-29' });
    expect(day('Wednesday')).toEqual({ ok: true, day: '2026-12-02' });
    expect(day('last Friday')).toEqual({ ok: true, day: '2026-11-27' });
  });

  it('takes a day and month with no year as the last one', () => {
    expect(day('1 April')).toEqual({ ok: true, day: '2026-04-01' });
    expect(day('20 Nov')).toEqual({ ok: true, day: '2026-11-20' });
    expect(readBound('1 April', thursday, zone)).toEqual({ ok: true, day: '2026-04-01' });
    expect(readBound('31 March', thursday, zone)).toEqual({ ok: true, day: '2026-03-31' });
  });

  it('still refuses a day the words put ahead, and keeps a year that is given', () => {
    expect(day('tomorrow')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not happened yet'),
    });
    expect(day('next Friday')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not happened yet'),
    });
    expect(day('1 April 2027')).toMatchObject({ ok: false });
    expect(readBound('1 April 2027', thursday, zone)).toEqual({ ok: true, day: '2027-04-01' });
  });
});

describe('reading 29 February', () => {
  it('takes the last 29 February there was, never the 28th', () => {
    const january2028 = new Date('2028-01-10T12:00:00Z');
    expect(readBound('29 Feb', january2028, zone)).toEqual({ ok: true, day: '2024-02-29' });
    expect(readDay('29 Feb', new Date('2028-03-10T12:00:00Z'), zone)).toEqual({
      ok: true,
      day: '2028-02-29',
    });
  });
});
