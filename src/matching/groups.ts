/**
 * Groups built from the optimal pairs, by these rules:
 *
 * - Pairs (the default): someone left over (an odd count, or nobody allowed was free) joins the
 *   pair where the sum of their weights with both is highest, among pairs where every pairing
 *   is allowed, each pair taking at most one: an odd count makes one trio.
 * - Groups of 4: the pairs themselves are matched, optimally, on a graph whose edge between two
 *   pairs weighs the sum of the four cross weights (allowed only if all four are). A pair left
 *   without a partner pair stays a pair. Leftovers then join as above, smaller groups first.
 *   A pair still left takes one person from a group of four (whoever fits it best and may meet
 *   both), so the round has two groups of 3 rather than a 4 and a 2.
 * - Groups of 3: pinned pairs and then the heaviest optimal pairs stay as cores, ⌊n/3⌋ in all;
 *   everyone else is assigned to a core by an optimal matching of people to cores (weight: the
 *   sum with both core members; in very large groups, among each one's best few). Whoever is still left is paired optimally among themselves, and
 *   a last odd one out joins a group as above.
 *
 * So when nothing rules a pairing out, the count n decides the sizes: for pairs, one group of 3
 * when n is odd; for groups of 3, one group of 4 when n leaves 1 over, one pair when it leaves
 * 2; for groups of 4, one group of 5 when n leaves 1 over, two groups of 3 when it leaves 2 (a
 * pair when n is 2), one group of 3 when it leaves 3. One person alone is not paired. Avoid lists
 * and forbidden pairs can make more groups smaller (never larger than one over the size asked
 * for), or leave someone out; they are never broken.
 */
import { type Edge, maxWeightMatching } from './blossom.js';
import { pairHash } from './candidates.js';
import type { PairConstraints } from './constraints.js';
import type { ScoreTable } from './scoring.js';

/** Above this many pairs, pairs of pairs are chosen among each pair's best few. */
const DENSE_PAIR_GRAPH_UP_TO = 750;
const PARTNER_PAIRS_PER_PAIR = 10;
/** Above this many person-core pairings, each person and each core keep their best few. */
const DENSE_CORE_GRAPH_UP_TO = 250_000;
const CORES_PER_PERSON = 10;

export type Group = number[];

function weightWith(table: ScoreTable, person: number, group: readonly number[]): number {
  let sum = 0;
  for (const m of group) sum += table.weight(person, m);
  return sum;
}

/**
 * Let each leftover join the group where they fit best (highest summed weight, every pairing
 * allowed), preferring groups smaller than `target`; a group grows by one at most.
 * Returns who could not join anyone.
 */
export function attachLeftovers(
  groups: Group[],
  leftovers: readonly number[],
  table: ScoreTable,
  constraints: PairConstraints,
  target: number,
): number[] {
  const grown = new Set<Group>();
  const stillLeft: number[] = [];
  for (const person of leftovers) {
    let best: Group | undefined;
    let bestKey: [number, number] = [0, 0];
    for (const group of groups) {
      if (grown.has(group) || group.length > target) continue;
      if (!group.every((m) => constraints.allowed(person, m))) continue;
      const key: [number, number] = [group.length < target ? 1 : 0, weightWith(table, person, group)];
      if (!best || key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
        best = group;
        bestKey = key;
      }
    }
    if (best) {
      best.push(person);
      grown.add(best);
    } else {
      stillLeft.push(person);
    }
  }
  return stillLeft;
}

/** Match pairs into groups of four. */
export function pairsIntoFours(
  pairs: readonly Group[],
  table: ScoreTable,
  constraints: PairConstraints,
  seed = 0,
): Group[] {
  const crossWeight = (x: Group, y: Group): number | undefined => {
    let sum = 0;
    for (const a of x) {
      for (const b of y) {
        if (!constraints.allowed(a, b)) return undefined;
        sum += table.weight(a, b);
      }
    }
    return sum;
  };
  const edges: Edge[] = [];
  if (pairs.length <= DENSE_PAIR_GRAPH_UP_TO) {
    for (let i = 0; i < pairs.length; i++) {
      for (let j = i + 1; j < pairs.length; j++) {
        const w = crossWeight(pairs[i]!, pairs[j]!);
        if (w !== undefined) edges.push([i, j, w]);
      }
    }
  } else {
    const chosen = new Set<number>();
    for (let i = 0; i < pairs.length; i++) {
      const options: Array<[number, number, number]> = [];
      for (let j = 0; j < pairs.length; j++) {
        if (j === i) continue;
        const w = crossWeight(pairs[i]!, pairs[j]!);
        if (w !== undefined) options.push([j, w, pairHash(i, j, seed)]);
      }
      options.sort((p, q) => q[1] - p[1] || q[2] - p[2]);
      for (const [j, w] of options.slice(0, PARTNER_PAIRS_PER_PAIR)) {
        const key = Math.min(i, j) * pairs.length + Math.max(i, j);
        if (!chosen.has(key)) {
          chosen.add(key);
          edges.push([i, j, w]);
        }
      }
    }
  }
  const mate = maxWeightMatching(pairs.length, edges, { maxCardinality: true });
  const groups: Group[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const j = mate[i]!;
    if (j === -1) groups.push([...pairs[i]!]);
    else if (j > i) groups.push([...pairs[i]!, ...pairs[j]!]);
  }
  return groups;
}

/** Turn optimal pairs (and unpaired people) into groups of three. */
export function pairsIntoThrees(
  pinned: readonly Group[],
  pairs: readonly Group[],
  unpaired: readonly number[],
  table: ScoreTable,
  constraints: PairConstraints,
  seed = 0,
): { groups: Group[]; leftovers: number[] } {
  const people = (pinned.length + pairs.length) * 2 + unpaired.length;
  const coreCount = Math.max(pinned.length, Math.min(pinned.length + pairs.length, Math.floor(people / 3)));
  const byWeight = [...pairs].sort((x, y) => table.weight(y[0]!, y[1]!) - table.weight(x[0]!, x[1]!));
  const kept = coreCount - pinned.length;
  const cores = [...pinned, ...byWeight.slice(0, kept)].map((p) => [...p]);
  const singles = [...byWeight.slice(kept).flat(), ...unpaired];
  // People are vertices 0..s-1, cores s..s+c-1.
  const edges = personCoreEdges(singles, cores, table, constraints, seed);
  const mate = maxWeightMatching(singles.length + cores.length, edges, { maxCardinality: true });
  const leftovers: number[] = [];
  singles.forEach((person, i) => {
    const c = mate[i]!;
    if (c === -1) leftovers.push(person);
    else cores[c - singles.length]!.push(person);
  });
  return { groups: cores, leftovers };
}

/**
 * Turn each pair among groups of four into a group of 3 by moving to it one person from a group
 * of 4, each group of 4 giving at most one: the person who may meet both and whose move loses
 * the least weight.
 */
export function splitFoursForPairs(groups: Group[], table: ScoreTable, constraints: PairConstraints): void {
  const gave = new Set<Group>();
  for (const pair of groups.filter((g) => g.length === 2)) {
    let best: { from: Group; person: number; gain: number } | undefined;
    for (const four of groups) {
      if (four.length !== 4 || gave.has(four)) continue;
      for (const person of four) {
        if (!pair.every((m) => constraints.allowed(person, m))) continue;
        const rest = four.filter((m) => m !== person);
        const gain = weightWith(table, person, pair) - weightWith(table, person, rest);
        if (!best || gain > best.gain) best = { from: four, person, gain };
      }
    }
    if (!best) continue;
    best.from.splice(best.from.indexOf(best.person), 1);
    pair.push(best.person);
    gave.add(best.from);
  }
}

/** Keep the `k` best [index, weight, hash] in `list`, best first. */
function keepBest(list: [number, number, number][], item: [number, number, number], k: number): void {
  if (list.length === k) {
    const last = list[k - 1]!;
    if (item[1] < last[1] || (item[1] === last[1] && item[2] <= last[2])) return;
    list.pop();
  }
  let at = list.length;
  while (
    at > 0 &&
    (list[at - 1]![1] < item[1] || (list[at - 1]![1] === item[1] && list[at - 1]![2] < item[2]))
  )
    at--;
  list.splice(at, 0, item);
}

/**
 * The graph of people and the cores they may join. Every allowed pairing while it is small;
 * above DENSE_CORE_GRAPH_UP_TO (some thousands of members), each person's best few cores and
 * each core's best few people, ties broken by a hash of the pairing and the seed, so the
 * matching stays fast; it is exact on that graph.
 */
function personCoreEdges(
  singles: readonly number[],
  cores: readonly Group[],
  table: ScoreTable,
  constraints: PairConstraints,
  seed: number,
): Edge[] {
  const edges: Edge[] = [];
  const dense = singles.length * cores.length <= DENSE_CORE_GRAPH_UP_TO;
  const byCore: [number, number, number][][] = cores.map(() => []);
  singles.forEach((person, i) => {
    const best: [number, number, number][] = [];
    cores.forEach((core, c) => {
      if (!core.every((m) => constraints.allowed(person, m))) return;
      const w = weightWith(table, person, core);
      if (dense) {
        edges.push([i, singles.length + c, w]);
        return;
      }
      const h = pairHash(i, singles.length + c, seed);
      keepBest(best, [c, w, h], CORES_PER_PERSON);
      keepBest(byCore[c]!, [i, w, h], CORES_PER_PERSON);
    });
    for (const [c, w] of best) edges.push([i, singles.length + c, w]);
  });
  if (dense) return edges;
  const chosen = new Set(edges.map(([i, c]) => i * cores.length + (c - singles.length)));
  byCore.forEach((best, c) => {
    for (const [i, w] of best) {
      if (chosen.has(i * cores.length + c)) continue;
      chosen.add(i * cores.length + c);
      edges.push([i, singles.length + c, w]);
    }
  });
  return edges;
}
