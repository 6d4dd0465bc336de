import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ballot, leaders, type PollMode, tally, tallyByRole } from '../../src/polls/tally.js';

/** The straightforward reference: count by hand, option by option, with no shortcuts. */
function reference(mode: PollMode, n: number, ballots: readonly Ballot[]) {
  const counts: number[] = [];
  const points: number[] = [];
  for (let option = 0; option < n; option++) {
    let count = 0;
    let score = 0;
    for (const ballot of ballots) {
      const valid = [...new Set(ballot.choices.filter((c) => c >= 0 && c < n))];
      const used = mode === 'single' ? valid.slice(0, 1) : valid;
      const position = used.indexOf(option);
      if (position >= 0) {
        count++;
        score += n - 1 - position;
      }
    }
    counts.push(count);
    points.push(mode === 'ranked' ? score : 0);
  }
  const voters = ballots.filter((b) => b.choices.some((c) => c >= 0 && c < n)).length;
  return { counts, points, voters };
}

const roles = fc.subarray(['expert-by-experience', 'carer', 'researcher', 'clinician']);
const poll = fc.integer({ min: 2, max: 20 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    mode: fc.constantFrom<PollMode>('single', 'multi', 'ranked'),
    ballots: fc.array(
      fc.record({ choices: fc.array(fc.integer({ min: -1, max: n }), { maxLength: n + 2 }), roles }),
      { maxLength: 60 },
    ),
  }),
);

describe('tallies', () => {
  it('match a plain recount for single, multiple and ranked polls', () => {
    fc.assert(
      fc.property(poll, ({ n, mode, ballots }) => {
        const result = tally(mode, n, ballots);
        const expected = reference(mode, n, ballots);
        expect(result.counts).toEqual(expected.counts);
        expect(result.points).toEqual(expected.points);
        expect(result.voters).toBe(expected.voters);
      }),
      { numRuns: 500 },
    );
  });

  it('put the winner first: most votes, or most Borda points when ranked', () => {
    fc.assert(
      fc.property(poll, ({ n, mode, ballots }) => {
        const result = tally(mode, n, ballots);
        const score = mode === 'ranked' ? result.points : result.counts;
        const best = Math.max(...score);
        expect(score[result.order[0] as number]).toBe(best);
        expect([...result.order].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      }),
      { numRuns: 300 },
    );
  });

  it('give a per-role breakdown equal to tallying each role on its own', () => {
    fc.assert(
      fc.property(poll, ({ n, mode, ballots }) => {
        for (const { role, tally: t } of tallyByRole(mode, n, ballots)) {
          const own = reference(
            mode,
            n,
            ballots.filter((b) => b.roles.includes(role)),
          );
          expect(t.counts).toEqual(own.counts);
          expect(t.points).toEqual(own.points);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leave out a lone carer, and the researchers too when subtracting them from the total would name the carer’s vote', () => {
    const ballots: Ballot[] = [
      { choices: [0], roles: ['carer'] },
      { choices: [1], roles: ['researcher'] },
      { choices: [1], roles: ['researcher'] },
      { choices: [0], roles: ['researcher'] },
    ];
    expect(tallyByRole('single', 2, ballots, 3).map((r) => r.role)).toEqual([]);
    const withMore = [...ballots, { choices: [1], roles: ['carer'] }, { choices: [1], roles: [] }];
    expect(tallyByRole('single', 2, withMore, 3).map((r) => r.role)).toEqual(['researcher']);
  });

  it('never show a role of fewer than 3 voters, nor leave 1 or 2 voters outside the roles shown', () => {
    fc.assert(
      fc.property(poll, ({ n, mode, ballots }) => {
        const shown = tallyByRole(mode, n, ballots, 3);
        const voting = ballots.filter((b) => b.choices.some((c) => c >= 0 && c < n));
        for (const { tally: t } of shown) expect(t.voters).toBeGreaterThanOrEqual(3);
        if (shown.length === 0) return;
        const outside = voting.filter((b) => !shown.some((r) => b.roles.includes(r.role))).length;
        expect(outside === 0 || outside >= 3).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('name every option level at the top as leaders, and only those', () => {
    fc.assert(
      fc.property(poll, ({ n, mode, ballots }) => {
        const t = tally(mode, n, ballots);
        const top = leaders(mode, t);
        if (t.voters === 0) {
          expect(top).toEqual([]);
          return;
        }
        const key = (o: number) =>
          mode === 'ranked' ? [t.points[o] ?? 0, t.firstChoices[o] ?? 0] : [t.counts[o] ?? 0, 0];
        const best = key(top[0] as number);
        for (let o = 0; o < n; o++) {
          const k = key(o);
          const level = k[0] === best[0] && k[1] === best[1];
          expect(top.includes(o)).toBe(level);
          expect(k[0]! > best[0]! || (k[0] === best[0] && k[1]! > best[1]!)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('scores a known ranked example the Borda way', () => {
    // Three options, N = 3: first choice 2 points, second 1, third 0.
    const ballots: Ballot[] = [
      { choices: [0, 1, 2], roles: [] },
      { choices: [1, 0, 2], roles: [] },
      { choices: [1, 2], roles: [] },
    ];
    const result = tally('ranked', 3, ballots);
    expect(result.points).toEqual([3, 5, 1]);
    expect(result.order).toEqual([1, 0, 2]);
  });

  it('counts only the first choice of a single-choice ballot', () => {
    expect(tally('single', 3, [{ choices: [2, 0], roles: [] }]).counts).toEqual([0, 0, 1]);
  });
});
