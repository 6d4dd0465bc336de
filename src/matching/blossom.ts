/**
 * Maximum-weight matching on a general graph: Edmonds' blossom algorithm with dual variables,
 * O(n³), after Joris van Rantwijk's well-known reference implementation (the one NetworkX's
 * `max_weight_matching` also follows). State lives in typed arrays so groups of thousands run in
 * seconds. Integer weights keep every dual value an integer (duals are stored doubled).
 *
 * Vertices are 0..n-1. Edge k has endpoints 2k (its first vertex) and 2k+1 (its second); a
 * vertex's `mate` and a label's `labelEnd` hold endpoints, so the edge used is known too.
 * Blossoms are numbered n..2n-1. Labels: 0 free, 1 S (outer), 2 T (inner); 5 marks a
 * blossom while scanning for a common base.
 */
import { runBlossom } from './blossom-search.js';
import { BlossomTree } from './blossom-tree.js';

/** Above this average degree a graph counts as dense (see regrowAllTrees). */
const DENSE_AVERAGE_DEGREE = 64;

export type Edge = readonly [a: number, b: number, weight: number];

export interface MatchingOptions {
  /**
   * Match as many vertices as possible first, then maximise weight among those matchings.
   * Negative weights are allowed then (they are shifted, which changes nothing when the
   * number of pairs is fixed).
   */
  readonly maxCardinality?: boolean;
  /**
   * Regrow every alternating tree after each augmentation, as the reference implementation
   * does, instead of dissolving only the two trees that met. Both give the same optimum.
   * Regrowing is faster on dense graphs (where every tree touches almost every vertex anyway),
   * dissolving far faster on sparse ones; by default the choice follows the average degree.
   */
  readonly regrowAllTrees?: boolean;
}

/** Returns mate[v] (the vertex matched to v) or -1 for each of the `n` vertices. */
export function maxWeightMatching(
  n: number,
  edges: readonly Edge[],
  options: MatchingOptions = {},
): Int32Array {
  const mate = new Int32Array(n).fill(-1);
  if (edges.length === 0) return mate;
  const maxCardinality = options.maxCardinality ?? false;
  let minWeight = Number.POSITIVE_INFINITY;
  for (const [a, b, w] of edges) {
    if (!(a >= 0 && b >= 0 && a < n && b < n && a !== b)) throw new RangeError(`bad edge ${a}-${b}`);
    if (!Number.isFinite(w)) throw new RangeError(`bad weight on edge ${a}-${b}`);
    if (w < minWeight) minWeight = w;
  }
  const shift = maxCardinality && minWeight < 0 ? -minWeight : 0;
  const t = new BlossomTree(n, edges, shift);
  const regrow = options.regrowAllTrees ?? (2 * edges.length) / n > DENSE_AVERAGE_DEGREE;
  runBlossom(t, maxCardinality, regrow);
  for (let v = 0; v < n; v++) {
    const p = t.mate[v]!;
    mate[v] = p >= 0 ? t.endpoint[p]! : -1;
  }
  return mate;
}

/** Pairs (a < b) from a mate array. */
export function matchedPairs(mate: Int32Array): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let v = 0; v < mate.length; v++) {
    const w = mate[v]!;
    if (w > v) pairs.push([v, w]);
  }
  return pairs;
}
