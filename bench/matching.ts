/**
 * Peer-round matching on realistic groups of 200, 1,000 and 10,000 members: timezones spread
 * over three zones, 5 to 15 interests each from a list of 40, 10 % paused, 1 % with an avoid
 * list, a few forbidden pairs and six past rounds. Prints one JSON line per number of members
 * and group size (pairs, then groups of 3 and of 4):
 *
 *   size           people per group asked for (2 = pairs); groups how many groups were made
 *   edges          pairs in the graph the matching ran on (all allowed pairs, or the sparse
 *                  candidate graph above 1,500 available members)
 *   ms             wall-clock time of the whole round plan (scoring, graph, matching, groups)
 *   weight         total weight of the optimal pairs; greedyWeight the same graph paired greedily
 *   unmatched      members left without a group; violations broken hard rules (must be 0)
 *
 * `--dump DIR` writes n-<n>.edges.tsv (a, b, weight: the graph) and n-<n>.pairs.tsv (the pairs
 * chosen), so an independent solver can check the weight. BENCH_SIZES=200,1000 picks numbers of
 * members, BENCH_GROUP_SIZES=2 the group sizes. Timings vary with the machine's load: read them
 * as a rough figure, not a target.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCandidateGraph } from '../src/matching/candidates.js';
import { available, PairConstraints } from '../src/matching/constraints.js';
import { countViolations, greedyMatching, planRound } from '../src/matching/index.js';
import { ScoreTable } from '../src/matching/scoring.js';
import type { Candidate, Pair, RoundHistory } from '../src/matching/types.js';

const sizes = (process.env.BENCH_SIZES ?? '200,1000,10000').split(',').map(Number);
const groupSizes = (process.env.BENCH_GROUP_SIZES ?? '2,3,4').split(',').map(Number) as (2 | 3 | 4)[];
const dumpAt = process.argv.indexOf('--dump');
const dumpDir = dumpAt >= 0 ? process.argv[dumpAt + 1] : undefined;
const AT = new Date('2026-03-02T10:00:00Z');
/** 60 %, 25 % and 15 % of members. */
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata'] as const;
const TAGS = Array.from({ length: 40 }, (_, i) => `topic-${i + 1}`);

/** A small seeded generator (mulberry32), so every run measures the same groups. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function makeGroup(n: number) {
  const rnd = random(n);
  const ids = Array.from({ length: n }, (_, i) => `m${i}`);
  const members: Candidate[] = ids.map((id) => {
    const pick = rnd();
    const zone = pick < 0.6 ? ZONES[0] : pick < 0.85 ? ZONES[1] : ZONES[2];
    const count = 5 + Math.floor(rnd() * 11);
    const interests = shuffle([...TAGS], rnd).slice(0, count);
    const avoid =
      rnd() < 0.01
        ? Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ids[Math.floor(rnd() * n)]!)
        : [];
    return { id, timezone: zone, interests, status: rnd() < 0.1 ? 'paused' : 'active', avoid };
  });
  const forbidden: Pair[] = Array.from({ length: Math.ceil(n / 200) }, () => [
    ids[Math.floor(rnd() * n)]!,
    ids[Math.floor(rnd() * n)]!,
  ]);
  // Six past rounds, each a random pairing of everyone active (most recent first).
  const history: RoundHistory = Array.from({ length: 6 }, () => {
    const order = shuffle(
      members.filter((m) => m.status === 'active').map((m) => m.id),
      rnd,
    );
    const round: string[][] = [];
    for (let i = 0; i + 1 < order.length; i += 2) round.push([order[i]!, order[i + 1]!]);
    return round;
  });
  return { members, forbidden, history };
}

/** Pairs only: the same graph paired greedily, for comparison, and the --dump files. */
function pairsExtras(n: number, group: ReturnType<typeof makeGroup>, plan: ReturnType<typeof planRound>) {
  const { members, forbidden, history } = group;
  const active = available(members);
  const table = new ScoreTable(active, AT, history);
  const constraints = new PairConstraints(active, forbidden);
  const pool = active.map((_, i) => i);
  const graph = buildCandidateGraph(pool, table, constraints, { seed: 1 });
  const greedy = greedyMatching(pool.length, graph.edges);
  let greedyWeight = 0;
  for (const [a, b, w] of graph.edges) if (greedy[a] === b) greedyWeight += w;

  if (dumpDir) {
    mkdirSync(dumpDir, { recursive: true });
    const id = (i: number) => active[i]!.id;
    writeFileSync(
      join(dumpDir, `n-${n}.edges.tsv`),
      graph.edges.map(([a, b, w]) => `${id(a)}\t${id(b)}\t${w}\n`).join(''),
    );
    writeFileSync(join(dumpDir, `n-${n}.pairs.tsv`), plan.pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
  }
  return { weight: plan.weight, greedyWeight };
}

for (const n of sizes) {
  const group = makeGroup(n);
  const { members, forbidden, history } = group;
  for (const size of groupSizes) {
    const start = performance.now();
    const plan = planRound({ members, at: AT, history, rules: { forbidden }, seed: 1, groupSize: size });
    const ms = performance.now() - start;
    console.log(
      JSON.stringify({
        bench: 'matching',
        n,
        size,
        groups: plan.groups.length,
        edges: plan.edges,
        ms: Math.round(ms),
        ...(size === 2 ? pairsExtras(n, group, plan) : {}),
        unmatched: plan.unmatched.length,
        violations: countViolations(members, plan.groups, forbidden),
      }),
    );
  }
}
