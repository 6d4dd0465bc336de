import { describe, expect, it } from 'vitest';
import { headline, type PollView, resultLines } from '../../src/polls/render.js';
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

describe('a ranked tie for top priority', () => {
  it('says plainly when neither tied option was anyone\'s first choice, never "0 people"', () => {
    const options = ['Pain', 'Sleep', 'Fatigue', 'Cost', 'Travel', 'Time'];
    const poll = { ...ranked, options };
    // Pain and Sleep are everyone's second or third choice; the first choices are all different.
    const ballots = [
      { choices: [2, 0, 1] },
      { choices: [3, 1, 0] },
      { choices: [4, 0, 1] },
      { choices: [5, 1, 0] },
    ];
    const line = headline(poll, tally('ranked', options.length, ballots));
    expect(line).toBe(
      "**Pain** and **Sleep** tied for top priority, with 14 points each. Neither was anyone's first choice.",
    );
    expect(line).not.toContain('0 people');
  });
});
