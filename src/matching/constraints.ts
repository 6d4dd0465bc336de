/**
 * Hard rules no score can override: nobody is paired with themselves, with someone either of
 * them asked to avoid, or in a pair a coordinator forbade; paused and opted-out members are
 * never paired at all.
 */
import type { Candidate, Pair } from './types.js';

/** Members who can take part now: active, each id once (the first entry wins). */
export function available(members: readonly Candidate[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const m of members) {
    if (m.status !== 'active' || seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

/** Which pairs among a fixed list of members (by index) are ruled out. */
export class PairConstraints {
  /** For each member, the indices they may not be paired with. */
  private readonly excluded: Array<Set<number>>;

  constructor(members: readonly Candidate[], forbidden: readonly Pair[] = []) {
    const index = new Map(members.map((m, i) => [m.id, i]));
    this.excluded = members.map(() => new Set<number>());
    const exclude = (a: string, b: string): void => {
      const i = index.get(a);
      const j = index.get(b);
      if (i === undefined || j === undefined) return;
      this.excluded[i]!.add(j);
      this.excluded[j]!.add(i);
    };
    members.forEach((m) => {
      for (const other of m.avoid ?? []) exclude(m.id, other);
    });
    for (const [a, b] of forbidden) exclude(a, b);
  }

  allowed(a: number, b: number): boolean {
    return a !== b && !this.excluded[a]!.has(b);
  }

  /** The indices a may not be paired with. */
  excludedFor(a: number): ReadonlySet<number> {
    return this.excluded[a]!;
  }

  /** Every pair within a group is allowed. */
  allowedGroup(group: readonly number[]): boolean {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) if (!this.allowed(group[i]!, group[j]!)) return false;
    }
    return true;
  }
}
