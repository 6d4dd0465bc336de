/**
 * One peer round: who meets whom. Available members are paired by a maximum-weight matching
 * that first pairs as many people as possible, then maximises the total score (see scoring.ts
 * for the score and candidates.ts for the graph); groups of 3 or 4 and odd ones out follow the
 * rules in groups.ts. Coordinators' pins are applied first, when both people are available and
 * no rule forbids the pair.
 */
import { maxWeightMatching } from './blossom.js';
import { buildCandidateGraph, type CandidateOptions } from './candidates.js';
import { available, PairConstraints } from './constraints.js';
import {
  attachLeftovers,
  type Group,
  pairsIntoFours,
  pairsIntoThrees,
  splitFoursForPairs,
} from './groups.js';
import { ScoreTable } from './scoring.js';
import type {
  Candidate,
  Pair,
  PairRules,
  PlannedGroup,
  RoundHistory,
  RoundPlan,
  ScoreParts,
} from './types.js';

export interface RoundInput {
  readonly members: readonly Candidate[];
  /** When the round happens: waking hours are compared on that day. */
  readonly at: Date;
  readonly history?: RoundHistory;
  readonly rules?: PairRules;
  readonly groupSize?: 2 | 3 | 4;
  /** Varies tie-breaks between rounds in large groups. */
  readonly seed?: number;
  readonly candidates?: CandidateOptions;
}

/** The optimal pairs among `pool` (indices into the table), and who is left without one. */
function pairUp(
  pool: readonly number[],
  table: ScoreTable,
  constraints: PairConstraints,
  options: CandidateOptions = {},
): { pairs: Group[]; unpaired: number[]; edges: number; exact: boolean } {
  const graph = buildCandidateGraph(pool, table, constraints, options);
  const mate = maxWeightMatching(pool.length, graph.edges, { maxCardinality: true });
  const pairs: Group[] = [];
  const unpaired: number[] = [];
  for (let i = 0; i < pool.length; i++) {
    const j = mate[i]!;
    if (j === -1) unpaired.push(pool[i]!);
    else if (j > i) pairs.push([pool[i]!, pool[j]!]);
  }
  return { pairs, unpaired, edges: graph.edges.length, exact: graph.exact };
}

export function planRound(input: RoundInput): RoundPlan {
  const active = available(input.members);
  const table = new ScoreTable(active, input.at, input.history);
  const constraints = new PairConstraints(active, input.rules?.forbidden);
  const index = new Map(active.map((m, i) => [m.id, i]));

  const used = new Set<number>();
  const pinned: Group[] = [];
  let pinsSkipped = 0;
  for (const [a, b] of input.rules?.pinned ?? []) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || used.has(i) || used.has(j) || !constraints.allowed(i, j)) {
      pinsSkipped++;
      continue;
    }
    used.add(i);
    used.add(j);
    pinned.push([i, j]);
  }

  const pool = active.map((_, i) => i).filter((i) => !used.has(i));
  const { pairs, unpaired, edges, exact } = pairUp(pool, table, constraints, {
    seed: input.seed,
    ...input.candidates,
  });
  const weight = pairs.reduce((sum, [a, b]) => sum + table.weight(a!, b!), 0);

  const size = input.groupSize ?? 2;
  let groups: Group[];
  let leftovers: number[];
  if (size === 3) {
    const threes = pairsIntoThrees(pinned, pairs, unpaired, table, constraints, input.seed);
    const rest = pairUp(threes.leftovers, table, constraints);
    groups = [...threes.groups, ...rest.pairs];
    leftovers = attachLeftovers(groups, rest.unpaired, table, constraints, 3);
  } else if (size === 4) {
    groups = pairsIntoFours([...pinned, ...pairs], table, constraints, input.seed);
    leftovers = attachLeftovers(groups, unpaired, table, constraints, 4);
    splitFoursForPairs(groups, table, constraints);
  } else {
    groups = [...pinned.map((p) => [...p]), ...pairs];
    leftovers = attachLeftovers(groups, unpaired, table, constraints, 2);
  }

  const pinnedKeys = new Set(pinned.map(([a, b]) => `${a}:${b}`));
  let repeats = 0;
  const planned: PlannedGroup[] = groups.map((group) => {
    const reasons: { pair: Pair; parts: ScoreParts }[] = [];
    let isPinned = false;
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        const a = group[x]!;
        const b = group[y]!;
        const parts = table.parts(a, b);
        if (parts.metRoundsAgo !== undefined) repeats++;
        if (pinnedKeys.has(`${a}:${b}`)) isPinned = true;
        reasons.push({ pair: [active[a]!.id, active[b]!.id], parts });
      }
    }
    return { members: group.map((i) => active[i]!.id), kind: isPinned ? 'pinned' : 'matched', reasons };
  });
  const unmatched = leftovers.map((i) => ({
    id: active[i]!.id,
    reason: active.some((_, j) => constraints.allowed(i, j))
      ? ('odd-one-out' as const)
      : ('no-suitable-partner' as const),
  }));
  return {
    groups: planned,
    pairs: pairs.map(([a, b]) => [active[a!]!.id, active[b!]!.id] as const),
    unmatched,
    pinsSkipped,
    repeats,
    edges,
    weight,
    exact,
  };
}
