import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { describeCadence, isOff, nextRound, parseCadence } from '../../src/matching/cadence.js';

const london = 'Europe/London';

describe('reading how often buddy rounds run', () => {
  it.each([
    ['every 2 weeks on Monday 10:00', { intervalWeeks: 2, weekday: 1, localTime: '10:00' }],
    ['"every 4 weeks on Friday 2pm"', { intervalWeeks: 4, weekday: 5, localTime: '14:00' }],
    ['2w mon 10:00', { intervalWeeks: 2, weekday: 1, localTime: '10:00' }],
    ['fortnightly, tuesdays at 9.30am', { intervalWeeks: 2, weekday: 2, localTime: '09:30' }],
    ['weekly wed 17:00', { intervalWeeks: 1, weekday: 3, localTime: '17:00' }],
    ['every fortnight on Monday at 10am', { intervalWeeks: 2, weekday: 1, localTime: '10:00' }],
    ['every three weeks, Thursdays 18:30', { intervalWeeks: 3, weekday: 4, localTime: '18:30' }],
    ['monthly on Thursday 14:00', { weekday: 4, localTime: '14:00' }],
    ['every month on the first Monday at 10:00', { weekday: 1, localTime: '10:00' }],
  ])('understands %s', (input, cadence) => {
    expect(parseCadence(input)).toEqual(cadence);
  });

  it.each([
    ['', /how often/],
    ['Monday 10:00', /how often/],
    ['every 2 weeks', /weekday and a time/],
    ['every 2 weeks on funday 10:00', /weekday and a time/],
    ['every 0 weeks on Monday 10:00', /every 1 to 12 weeks, or monthly/],
    ['every 52 weeks on Monday 10:00', /every 1 to 12 weeks, or monthly/],
    ['every 2 weeks on Monday 25:00', /weekday and a time/],
  ])('asks again plainly, with an example, when given %j', (input, problem) => {
    expect(() => parseCadence(input)).toThrow(UserError);
    expect(() => parseCadence(input)).toThrow(problem);
    expect(() => parseCadence(input)).toThrow(/for example "every 2 weeks on Monday 10:00"/);
  });

  it('knows "off" in the ways people say it', () => {
    for (const word of ['off', 'OFF', '"off"', 'stop', 'none']) expect(isOff(word)).toBe(true);
    expect(isOff('every 2 weeks off mondays')).toBe(false);
  });

  it('describes a schedule in words', () => {
    expect(describeCadence({ intervalWeeks: 2, weekday: 1, localTime: '10:00' })).toBe(
      'every 2 weeks on Mondays at 10:00',
    );
    expect(describeCadence({ intervalWeeks: 1, weekday: 5, localTime: '14:00' })).toBe(
      'every week on Fridays at 14:00',
    );
    expect(describeCadence({ weekday: 2, localTime: '09:00' })).toBe(
      'monthly, on the first Tuesday at 09:00',
    );
  });
});

describe('the next round, in the group timezone', () => {
  it('every 2 weeks keeps its weeks and its 10:00 through the end of summer time', () => {
    const schedule = {
      intervalWeeks: 2,
      weekday: 1,
      localTime: '10:00',
      anchor: new Date('2026-10-12T09:00:00Z'), // Monday 12 October, 10:00 BST
    };
    const times: string[] = [];
    let after = new Date('2026-10-12T08:00:00Z');
    for (let i = 0; i < 4; i++) {
      const next = nextRound(schedule, london, after);
      times.push(next.toISOString());
      after = next;
    }
    expect(times).toEqual([
      '2026-10-12T09:00:00.000Z',
      '2026-10-26T10:00:00.000Z', // 10:00 GMT
      '2026-11-09T10:00:00.000Z',
      '2026-11-23T10:00:00.000Z',
    ]);
  });

  it('monthly means the first such weekday of each month', () => {
    const schedule = { weekday: 2, localTime: '14:00', anchor: new Date('2026-11-01T00:00:00Z') };
    expect(nextRound(schedule, london, new Date('2026-11-04T12:00:00Z')).toISOString()).toBe(
      '2026-12-01T14:00:00.000Z',
    );
    expect(nextRound(schedule, london, new Date('2026-12-01T14:00:00Z')).toISOString()).toBe(
      '2027-01-05T14:00:00.000Z',
    );
  });
});
