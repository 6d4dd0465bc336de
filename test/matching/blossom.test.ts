import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Edge, maxWeightMatching } from '../../src/matching/blossom.js';

/** Every matching of a small graph, tried one by one: the best (size, weight) and best weight. */
function bruteForce(n: number, edges: readonly Edge[]) {
  const weightOf = new Map<number, number>();
  for (const [a, b, w] of edges) {
    const key = Math.min(a, b) * n + Math.max(a, b);
    weightOf.set(key, Math.max(weightOf.get(key) ?? Number.NEGATIVE_INFINITY, w));
  }
  let bestWeight = 0;
  let bestBySize: [number, number] = [0, 0];
  const used = new Array<boolean>(n).fill(false);
  const visit = (from: number, size: number, weight: number): void => {
    let i = from;
    while (i < n && used[i]) i++;
    if (i >= n) {
      bestWeight = Math.max(bestWeight, weight);
      if (size > bestBySize[0] || (size === bestBySize[0] && weight > bestBySize[1]))
        bestBySize = [size, weight];
      return;
    }
    used[i] = true;
    visit(i + 1, size, weight);
    for (let j = i + 1; j < n; j++) {
      const w = weightOf.get(i * n + j);
      if (used[j] || w === undefined) continue;
      used[j] = true;
      visit(i + 1, size + 1, weight + w);
      used[j] = false;
    }
    used[i] = false;
  };
  visit(0, 0, 0);
  return { bestWeight, bestBySize };
}

function summarise(n: number, edges: readonly Edge[], mate: Int32Array) {
  let size = 0;
  let weight = 0;
  for (let v = 0; v < n; v++) {
    const w = mate[v]!;
    if (w === -1) continue;
    expect(mate[w]).toBe(v);
    if (w < v) continue;
    const options = edges.filter(([a, b]) => (a === v && b === w) || (a === w && b === v)).map((e) => e[2]);
    expect(options.length).toBeGreaterThan(0);
    size++;
    weight += Math.max(...options);
  }
  return { size, weight };
}

const graph = (maxVertices: number, weights: fc.Arbitrary<number>) =>
  fc.integer({ min: 1, max: maxVertices }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(
        fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), weights),
        { maxLength: (n * (n - 1)) / 2 + 2 },
      ),
    }),
  );

describe('maximum-weight matching', () => {
  it('finds the heaviest matching of any graph up to 12 vertices, as trying every matching does', () => {
    fc.assert(
      fc.property(graph(12, fc.integer({ min: 0, max: 60 })), ({ n, edges }) => {
        const loops = edges.filter(([a, b]) => a !== b);
        const found = summarise(n, loops, maxWeightMatching(n, loops));
        expect(found.weight).toBe(bruteForce(n, loops).bestWeight);
      }),
      { numRuns: 400 },
    );
  });

  it('with max cardinality, pairs as many as possible and then is heaviest, negative weights included', () => {
    fc.assert(
      fc.property(graph(12, fc.integer({ min: -50, max: 60 })), ({ n, edges }) => {
        const loops = edges.filter(([a, b]) => a !== b);
        const found = summarise(n, loops, maxWeightMatching(n, loops, { maxCardinality: true }));
        expect([found.size, found.weight]).toEqual(bruteForce(n, loops).bestBySize);
      }),
      { numRuns: 400 },
    );
  });

  it('dissolving only the trees that met finds the same optimum as regrowing them all', () => {
    const medium = fc.integer({ min: 20, max: 160 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: n - 1 }),
            fc.integer({ min: 0, max: n - 1 }),
            fc.integer({ min: 0, max: 12 }),
          ),
          { minLength: n, maxLength: n * 8 },
        ),
        maxCardinality: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(medium, ({ n, edges, maxCardinality }) => {
        const loops = edges.filter(([a, b]) => a !== b);
        const fast = summarise(
          n,
          loops,
          maxWeightMatching(n, loops, { maxCardinality, regrowAllTrees: false }),
        );
        const reference = summarise(
          n,
          loops,
          maxWeightMatching(n, loops, { maxCardinality, regrowAllTrees: true }),
        );
        expect(fast).toEqual(reference);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses an edge from a vertex to itself instead of pairing someone with themselves', () => {
    expect(() => maxWeightMatching(3, [[1, 1, 5]])).toThrow(RangeError);
  });
});
