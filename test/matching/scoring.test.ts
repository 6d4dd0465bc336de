import { describe, expect, it } from 'vitest';
import { ScoreTable, wakingOverlapMinutes } from '../../src/matching/scoring.js';
import type { Candidate } from '../../src/matching/types.js';

const person = (id: string, timezone: string, interests: string[] = []): Candidate => ({
  id,
  timezone,
  interests,
  status: 'active',
});

describe('pair scores', () => {
  it('London and New York share 8 waking hours in January, Kolkata and London 7 whole hours', () => {
    const table = new ScoreTable(
      [person('a', 'Europe/London'), person('b', 'America/New_York'), person('c', 'Asia/Kolkata')],
      new Date('2026-01-12T10:00:00Z'),
    );
    expect(table.parts(0, 1).wakingOverlapHours).toBe(8);
    expect(table.parts(0, 2).wakingOverlapHours).toBe(7);
    expect(table.parts(0, 0).wakingOverlapHours).toBe(13);
  });

  it('takes daylight saving from the day of the round: mid-March New York is only four hours behind London', () => {
    const table = new ScoreTable(
      [person('a', 'Europe/London'), person('b', 'America/New_York')],
      new Date('2026-03-16T10:00:00Z'),
    );
    expect(table.parts(0, 1).wakingOverlapHours).toBe(9);
  });

  it('counts waking hours across midnight: twelve hours apart still share two, whichever way round', () => {
    expect(wakingOverlapMinutes(0, 12 * 60)).toBe(120);
    expect(wakingOverlapMinutes(12 * 60, 0)).toBe(120);
    // UTC-10 and UTC+10 are four hours apart across the date line.
    expect(wakingOverlapMinutes(-10 * 60, 10 * 60)).toBe(9 * 60);
  });

  it('counts shared interests, lists them for the introduction, and marks a pair that met recently', () => {
    const table = new ScoreTable(
      [
        person('a', 'Europe/London', ['art', 'music', 'walking']),
        person('b', 'Europe/London', ['music', 'art']),
      ],
      new Date('2026-01-12T10:00:00Z'),
      [[], [['a', 'b', 'x']]],
    );
    const parts = table.parts(0, 1);
    expect(parts.sharedInterests).toEqual(['art', 'music']);
    expect(parts.overlapPoints + parts.interestPoints).toBe(13 * 2 + 2 * 3);
    expect(parts.metRoundsAgo).toBe(2);
    expect(parts.total).toBeLessThan(0);
  });

  it('forgets a pairing once it is more than six rounds old', () => {
    const old = [[], [], [], [], [], [], [['a', 'b']]];
    const table = new ScoreTable(
      [person('a', 'Europe/London'), person('b', 'Europe/London')],
      new Date('2026-01-12T10:00:00Z'),
      old,
    );
    expect(table.parts(0, 1).metRoundsAgo).toBeUndefined();
  });
});
