/**
 * Counting votes. Pure functions, so the property tests can check them against a plain
 * recomputation.
 *
 * Single and multiple choice: each option's count is the number of voters who chose it.
 * Ranked (priority setting): a Borda count. With N options, a voter's first choice earns N-1
 * points, the second N-2, and so on; options a voter did not rank earn nothing from them. The
 * option with the most points comes first; ties are broken by first choices (README documents
 * this), and options still level share their place. Single and multiple choice have no
 * tie-break: options with the same count share it.
 */
export type PollMode = 'single' | 'multi' | 'ranked';

export interface Ballot {
  /** Option indexes: chosen (single, multi) or in order of priority (ranked). */
  readonly choices: readonly number[];
  /** The voter's roles, for the per-role breakdown (worked out at the close, never stored). */
  readonly roles?: readonly string[];
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

/** Is `a` ahead of `b`? Ranked: more points, then more first choices. Otherwise: more votes. */
function ahead(mode: PollMode, t: Tally, a: number, b: number): boolean {
  if (mode !== 'ranked') return (t.counts[a] ?? 0) > (t.counts[b] ?? 0);
  const pa = t.points[a] ?? 0;
  const pb = t.points[b] ?? 0;
  return pa > pb || (pa === pb && (t.firstChoices[a] ?? 0) > (t.firstChoices[b] ?? 0));
}

/** Each option's place, 1 for the best; options level after the documented tie-break share one. */
export function places(mode: PollMode, t: Tally): number[] {
  return t.counts.map((_, option) => 1 + t.counts.filter((_, other) => ahead(mode, t, other, option)).length);
}

/** The options in first place: one winner, or several that are tied. Empty when nobody voted. */
export function leaders(mode: PollMode, t: Tally): number[] {
  if (t.voters === 0) return [];
  const place = places(mode, t);
  return t.order.filter((option) => place[option] === 1);
}

/**
 * The same count, once per role: how experts by experience voted next to researchers, say.
 * A voter with two roles counts in both. A role is shown only with at least `minVoters` voters,
 * and only if the voters left outside every shown role are none or at least `minVoters` too:
 * otherwise the total minus the shown roles would give away how those one or two people voted.
 */
export function tallyByRole(
  mode: PollMode,
  optionCount: number,
  ballots: readonly Ballot[],
  minVoters = 1,
): RoleTally[] {
  const voting = ballots.filter((b) => cleanChoices(b.choices, optionCount).length > 0);
  const byRole = new Map<string, Ballot[]>();
  for (const ballot of voting) {
    for (const role of new Set(ballot.roles ?? [])) {
      const list = byRole.get(role) ?? [];
      list.push(ballot);
      byRole.set(role, list);
    }
  }
  const shown = [...byRole.entries()].filter(([, list]) => list.length >= minVoters);
  const outside = () => voting.filter((b) => !shown.some(([role]) => b.roles?.includes(role))).length;
  while (shown.length > 0 && outside() > 0 && outside() < minVoters) {
    // Hide the smallest role too, until the rest can no longer be worked out by subtraction.
    shown.sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    shown.pop();
  }
  return shown
    .map(([role, list]) => ({ role, tally: tally(mode, optionCount, list) }))
    .sort((a, b) => a.role.localeCompare(b.role));
}

/** Whole-number percentage of `part` in `whole`, 0 when there is nothing to divide. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
