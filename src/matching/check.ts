/**
 * Counts broken hard rules in a plan: someone paired with themselves or placed twice, a member
 * who is not active, a pair that is forbidden or that either person asked to avoid. A correct
 * plan has none; the benchmark and the tests check it independently of how the plan was made.
 */
import { REPEAT_WINDOW } from './scoring.js';
import type { Candidate, Pair, PlannedGroup, RoundHistory } from './types.js';

export function countViolations(
  members: readonly Candidate[],
  groups: readonly PlannedGroup[],
  forbidden: readonly Pair[] = [],
): number {
  const byId = new Map(members.map((m) => [m.id, m]));
  const ruledOut = new Set<string>();
  const key = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  for (const m of members) for (const other of m.avoid ?? []) ruledOut.add(key(m.id, other));
  for (const [a, b] of forbidden) ruledOut.add(key(a, b));
  const placed = new Set<string>();
  let violations = 0;
  for (const group of groups) {
    for (let i = 0; i < group.members.length; i++) {
      const a = group.members[i]!;
      if (placed.has(a) || byId.get(a)?.status !== 'active') violations++;
      placed.add(a);
      for (let j = i + 1; j < group.members.length; j++) {
        const b = group.members[j]!;
        if (a === b || ruledOut.has(key(a, b))) violations++;
      }
    }
  }
  return violations;
}

/** Pairs within the groups who were together in one of the last REPEAT_WINDOW rounds. */
export function countRepeats(groups: readonly PlannedGroup[], history: RoundHistory): number {
  const key = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const met = new Set<string>();
  for (const round of history.slice(0, REPEAT_WINDOW)) {
    for (const g of round) for (const a of g) for (const b of g) if (a !== b) met.add(key(a, b));
  }
  let repeats = 0;
  for (const { members } of groups) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) if (met.has(key(members[i]!, members[j]!))) repeats++;
    }
  }
  return repeats;
}
