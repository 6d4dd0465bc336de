import type { Edge } from './blossom.js';

/**
 * Pairs by descending weight, taking each edge whose ends are both still free. Not used to
 * pair anyone: it is the baseline the benchmark compares the optimal matching with.
 */
export function greedyMatching(n: number, edges: readonly Edge[]): Int32Array {
  const mate = new Int32Array(n).fill(-1);
  const order = edges.map((_, k) => k).sort((x, y) => edges[y]![2] - edges[x]![2] || x - y);
  for (const k of order) {
    const [a, b] = edges[k]!;
    if (mate[a] === -1 && mate[b] === -1) {
      mate[a] = b;
      mate[b] = a;
    }
  }
  return mate;
}
