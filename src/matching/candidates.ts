/**
 * The graph the matching runs on. Up to EXACT_UP_TO members it holds every allowed pair, so the
 * result is the true optimum. Above that, a complete graph is too big (10,000 members make 50
 * million pairs), so each member keeps only their CANDIDATES_PER_MEMBER best allowed partners
 * by weight, ties broken by a hash of the pair and the round's seed (so the same people are not
 * always preferred); the graph is the union of those lists, and the matching is exact on it.
 * Someone with fewer allowed partners than that keeps all of them.
 */

import type { Edge } from './blossom.js';
import type { PairConstraints } from './constraints.js';
import type { ScoreTable } from './scoring.js';

export const EXACT_UP_TO = 1_500;
export const CANDIDATES_PER_MEMBER = 10;

export interface CandidateOptions {
  readonly exactUpTo?: number;
  readonly perMember?: number;
  readonly seed?: number;
}

export interface CandidateGraph {
  /** Edges between positions in `pool`. */
  readonly edges: Edge[];
  readonly exact: boolean;
}

/** A well-mixed 32-bit hash of an unordered pair and a seed. */
export function pairHash(a: number, b: number, seed: number): number {
  let h = (Math.min(a, b) * 0x9e3779b1) ^ (Math.max(a, b) + 0x7f4a7c15) ^ (seed * 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Build the graph over `pool` (indices into the score table's members). */
export function buildCandidateGraph(
  pool: readonly number[],
  table: ScoreTable,
  constraints: PairConstraints,
  options: CandidateOptions = {},
): CandidateGraph {
  const exact = pool.length <= (options.exactUpTo ?? EXACT_UP_TO);
  const edges: Edge[] = [];
  if (exact) {
    for (let i = 0; i < pool.length; i++) {
      for (let j = i + 1; j < pool.length; j++) {
        const a = pool[i]!;
        const b = pool[j]!;
        if (constraints.allowed(a, b)) edges.push([i, j, table.weight(a, b)]);
      }
    }
    return { edges, exact };
  }
  const k = options.perMember ?? CANDIDATES_PER_MEMBER;
  const seed = options.seed ?? 0;
  const recentStamp = new Int32Array(table.size).fill(-1);
  const excludedStamp = new Int32Array(table.size).fill(-1);
  const chosen = new Set<number>();
  const bestPos = new Int32Array(k);
  const bestWeight = new Float64Array(k);
  const bestHash = new Float64Array(k);
  for (let i = 0; i < pool.length; i++) {
    const a = pool[i]!;
    for (const b of table.recentPartners(a).keys()) recentStamp[b] = a;
    for (const b of constraints.excludedFor(a)) excludedStamp[b] = a;
    let count = 0;
    for (let j = 0; j < pool.length; j++) {
      const b = pool[j]!;
      if (b === a || excludedStamp[b] === a) continue;
      const w = table.baseScore(a, b) - (recentStamp[b] === a ? table.repeatPenalty : 0);
      // Keep the k best so far in descending order (weight, then hash).
      if (count === k) {
        const lw = bestWeight[k - 1]!;
        if (w < lw) continue;
        if (w === lw && pairHash(a, b, seed) <= bestHash[k - 1]!) continue;
      }
      const h = pairHash(a, b, seed);
      let at = count < k ? count++ : k - 1;
      while (at > 0 && (bestWeight[at - 1]! < w || (bestWeight[at - 1] === w && bestHash[at - 1]! < h))) {
        bestPos[at] = bestPos[at - 1]!;
        bestWeight[at] = bestWeight[at - 1]!;
        bestHash[at] = bestHash[at - 1]!;
        at--;
      }
      bestPos[at] = j;
      bestWeight[at] = w;
      bestHash[at] = h;
    }
    for (let x = 0; x < count; x++) {
      const j = bestPos[x]!;
      const key = Math.min(i, j) * pool.length + Math.max(i, j);
      if (chosen.has(key)) continue;
      chosen.add(key);
      edges.push([i, j, bestWeight[x]!]);
    }
  }
  return { edges, exact };
}
