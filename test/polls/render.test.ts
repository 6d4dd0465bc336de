import { describe, expect, it } from 'vitest';
import { type PollView, resultLines } from '../../src/polls/render.js';
import { tally } from '../../src/polls/tally.js';

const ranked: PollView = {
  code: 'P7K2',
  question: 'What matters most?',
  options: ['Pain', 'Sleep', 'Fatigue'],
  mode: 'ranked',
  anonymous: false,
  hideResults: false,
  status: 'open',
  closesAt: null,
  eligibleAtClose: null,
};

describe('ranked results', () => {
  it("say an option was nobody's first choice, rather than the first choice of 0 people", () => {
    const ballots = [
      { choices: [0, 1], roles: [] },
      { choices: [0, 2], roles: [] },
      { choices: [1, 0], roles: [] },
    ];
    expect(resultLines(ranked, tally('ranked', 3, ballots), false)).toEqual([
      '1. **Pain**: 5 points (first choice of 2 people)',
      '2. **Sleep**: 3 points (first choice of 1 person)',
      "3. **Fatigue**: 1 point (nobody's first choice)",
    ]);
  });
});
