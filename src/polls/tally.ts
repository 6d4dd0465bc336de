/**
 * Counting votes. Pure functions, so the property tests can check them against a plain
 * recomputation.
 *
 * Single and multiple choice: each option's count is the number of voters who chose it.
 * Ranked (priority setting): a Borda count. With N options, a voter's first choice earns N-1
 * points, the second N-2, and so on; options a voter did not rank earn nothing from them. The
 * option with the most points comes first; ties are broken by first choices, then by the order
 * the options were listed in.
 */
export type PollMode = 'single' | 'multi' | 'ranked';

export interface Ballot {
  /** Option indexes: chosen (single, multi) or in order of priority (ranked). */
  readonly choices: readonly number[];
  /** The voter's roles when they voted. */
  readonly roles: readonly string[];
}

export interface Tally {
  readonly voters: number;
  /** Voters who chose each option (ranked: who ranked it at all). */
  readonly counts: readonly number[];
  /** Borda points per option (ranked only; zeros otherwise). */
  readonly points: readonly number[];
  /** Voters who put each option first. */
  readonly firstChoices: readonly number[];
  /** Option indexes, best first. */
  readonly order: readonly number[];
}

/** A ballot's valid choices: known options, each once, in the order given. */
export function cleanChoices(choices: readonly number[], optionCount: number): number[] {
  const seen = new Set<number>();
  return choices.filter(
    (c) => Number.isInteger(c) && c >= 0 && c < optionCount && !seen.has(c) && seen.add(c),
  );
}

export function tally(mode: PollMode, optionCount: number, ballots: readonly Ballot[]): Tally {
  const counts = new Array<number>(optionCount).fill(0);
  const points = new Array<number>(optionCount).fill(0);
  const firstChoices = new Array<number>(optionCount).fill(0);
  let voters = 0;
  for (const ballot of ballots) {
    const valid = cleanChoices(ballot.choices, optionCount);
    const choices = mode === 'single' ? valid.slice(0, 1) : valid;
    if (choices.length === 0) continue;
    voters++;
    choices.forEach((option, position) => {
      counts[option] = (counts[option] ?? 0) + 1;
      if (mode === 'ranked') points[option] = (points[option] ?? 0) + (optionCount - 1 - position);
    });
    const first = choices[0] as number;
    firstChoices[first] = (firstChoices[first] ?? 0) + 1;
  }
  const score = mode === 'ranked' ? points : counts;
  const order = [...counts.keys()].sort(
    (a, b) => (score[b] ?? 0) - (score[a] ?? 0) || (firstChoices[b] ?? 0) - (firstChoices[a] ?? 0) || a - b,
  );
  return { voters, counts, points, firstChoices, order };
}

export interface RoleTally {
  readonly role: string;
  readonly tally: Tally;
}

/**
 * The same count, once per role: how experts by experience voted next to researchers, say.
 * A voter with two roles counts in both. Roles with fewer than `minVoters` voters are left out,
 * so a small anonymous poll cannot reveal how the only carer voted.
 */
export function tallyByRole(
  mode: PollMode,
  optionCount: number,
  ballots: readonly Ballot[],
  minVoters = 1,
): RoleTally[] {
  const byRole = new Map<string, Ballot[]>();
  for (const ballot of ballots) {
    for (const role of new Set(ballot.roles)) {
      const list = byRole.get(role) ?? [];
      list.push(ballot);
      byRole.set(role, list);
    }
  }
  return [...byRole.entries()]
    .map(([role, list]) => ({ role, tally: tally(mode, optionCount, list) }))
    .filter((r) => r.tally.voters >= minVoters)
    .sort((a, b) => a.role.localeCompare(b.role));
}

/** Whole-number percentage of `part` in `whole`, 0 when there is nothing to divide. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
