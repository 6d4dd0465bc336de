/**
 * The state of the blossom algorithm and its search for augmenting paths (see blossom.ts for the
 * conventions). Expanding blossoms and augmenting along a path live in blossom-expand.ts.
 */
import type { Edge } from './blossom.js';

const NONE = -1;

export class BlossomTree {
  readonly n: number;
  readonly edgeCount: number;
  /** endpoint[p]: the vertex at endpoint p (edge p >> 1). */
  readonly endpoint: Int32Array;
  readonly weight: Float64Array;
  /** Endpoints of a vertex's edges that point away from it, in compressed rows. */
  readonly neighbourStart: Int32Array;
  readonly neighbourEnd: Int32Array;
  /** The same rows, holding the neighbour and twice the edge's weight, read in order by scans. */
  readonly neighbourVertex: Int32Array;
  readonly neighbourDoubleWeight: Float64Array;
  readonly mate: Int32Array;
  readonly label: Int8Array;
  readonly labelEnd: Int32Array;
  readonly inBlossom: Int32Array;
  readonly blossomParent: Int32Array;
  readonly blossomChildren: Array<number[] | null>;
  readonly blossomBase: Int32Array;
  readonly blossomEndpoints: Array<number[] | null>;
  readonly bestEdge: Int32Array;
  readonly blossomBestEdges: Array<number[] | null>;
  readonly unusedBlossoms: number[];
  readonly dual: Float64Array;
  readonly allowEdge: Uint8Array;
  /** Bumped whenever duals change; bestSlack* cache a best edge's slack between bumps. */
  dualVersion = 0;
  private readonly bestSlackEdge: Int32Array;
  private readonly bestSlackVersion: Int32Array;
  private readonly bestSlackValue: Float64Array;
  /** The root vertex of the alternating tree a labelled top-level blossom belongs to. */
  readonly treeOf: Int32Array;
  /** Top-level blossoms labelled into each tree, by root vertex (entries may since be stale). */
  readonly treeMembers: Array<number[] | undefined>;
  queue: Int32Array;
  queueLength = 0;
  /** Scratch for addBlossom: the least-slack edge from the new blossom to each S-blossom. */
  private readonly bestEdgeTo: Int32Array;
  private readonly bestEdgeToSlack: Float64Array;
  private readonly leafScratch: number[] = [];

  constructor(n: number, edges: readonly Edge[], shift: number) {
    this.n = n;
    const m = edges.length;
    this.edgeCount = m;
    this.endpoint = new Int32Array(2 * m);
    this.weight = new Float64Array(m);
    const degree = new Int32Array(n + 1);
    let maxWeight = 0;
    for (let k = 0; k < m; k++) {
      const [a, b, w] = edges[k]!;
      this.endpoint[2 * k] = a;
      this.endpoint[2 * k + 1] = b;
      this.weight[k] = w + shift;
      if (w + shift > maxWeight) maxWeight = w + shift;
      degree[a + 1]!++;
      degree[b + 1]!++;
    }
    for (let v = 0; v < n; v++) degree[v + 1]! += degree[v]!;
    this.neighbourStart = degree;
    this.neighbourEnd = new Int32Array(2 * m);
    const fill = degree.slice(0, n);
    this.neighbourVertex = new Int32Array(2 * m);
    this.neighbourDoubleWeight = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) {
      const a = this.endpoint[2 * k]!;
      const b = this.endpoint[2 * k + 1]!;
      const ia = fill[a]!++;
      this.neighbourEnd[ia] = 2 * k + 1;
      this.neighbourVertex[ia] = b;
      this.neighbourDoubleWeight[ia] = 2 * this.weight[k]!;
      const ib = fill[b]!++;
      this.neighbourEnd[ib] = 2 * k;
      this.neighbourVertex[ib] = a;
      this.neighbourDoubleWeight[ib] = 2 * this.weight[k]!;
    }
    this.mate = new Int32Array(n).fill(NONE);
    this.label = new Int8Array(2 * n);
    this.labelEnd = new Int32Array(2 * n).fill(NONE);
    this.inBlossom = new Int32Array(n);
    for (let v = 0; v < n; v++) this.inBlossom[v] = v;
    this.blossomParent = new Int32Array(2 * n).fill(NONE);
    this.blossomChildren = new Array(2 * n).fill(null);
    this.blossomBase = new Int32Array(2 * n).fill(NONE);
    for (let v = 0; v < n; v++) this.blossomBase[v] = v;
    this.blossomEndpoints = new Array(2 * n).fill(null);
    this.bestEdge = new Int32Array(2 * n).fill(NONE);
    this.blossomBestEdges = new Array(2 * n).fill(null);
    this.unusedBlossoms = [];
    for (let b = n; b < 2 * n; b++) this.unusedBlossoms.push(b);
    this.dual = new Float64Array(2 * n);
    this.dual.fill(maxWeight, 0, n);
    this.allowEdge = new Uint8Array(m);
    this.bestSlackEdge = new Int32Array(2 * n).fill(NONE);
    this.bestSlackVersion = new Int32Array(2 * n).fill(NONE);
    this.bestSlackValue = new Float64Array(2 * n);
    this.treeOf = new Int32Array(2 * n).fill(NONE);
    this.treeMembers = new Array(n);
    this.queue = new Int32Array(Math.max(16, n));
    this.bestEdgeTo = new Int32Array(2 * n).fill(NONE);
    this.bestEdgeToSlack = new Float64Array(2 * n);
  }

  slack(k: number): number {
    return this.dual[this.endpoint[2 * k]!]! + this.dual[this.endpoint[2 * k + 1]!]! - 2 * this.weight[k]!;
  }

  /** Slack of bestEdge[b], cached until the duals change. */
  bestSlack(b: number): number {
    const k = this.bestEdge[b]!;
    if (this.bestSlackEdge[b] === k && this.bestSlackVersion[b] === this.dualVersion) {
      return this.bestSlackValue[b]!;
    }
    const value = this.slack(k);
    this.bestSlackEdge[b] = k;
    this.bestSlackVersion[b] = this.dualVersion;
    this.bestSlackValue[b] = value;
    return value;
  }

  /** The vertices inside blossom b (b itself when it is a vertex), into `out`. */
  leaves(b: number, out: number[] = []): number[] {
    if (b < this.n) {
      out.push(b);
      return out;
    }
    for (const child of this.blossomChildren[b]!) this.leaves(child, out);
    return out;
  }

  push(v: number): void {
    if (this.queueLength === this.queue.length) {
      const bigger = new Int32Array(this.queue.length * 2);
      bigger.set(this.queue);
      this.queue = bigger;
    }
    this.queue[this.queueLength++] = v;
  }

  /** Record that top-level blossom b joined a tree, through endpoint p (-1 for a root). */
  joinTree(b: number, p: number, rootVertex: number): void {
    const tree = p === NONE ? rootVertex : this.treeOf[this.inBlossom[this.endpoint[p]!]!]!;
    this.treeOf[b] = tree;
    const members = this.treeMembers[tree];
    if (members) members.push(b);
    else this.treeMembers[tree] = [b];
  }

  /** Label the top-level blossom holding w with t (1 = S, 2 = T), reached through endpoint p. */
  assignLabel(w: number, t: number, p: number): void {
    for (;;) {
      const b = this.inBlossom[w]!;
      this.joinTree(b, p, w);
      this.label[w] = t;
      this.label[b] = t;
      this.labelEnd[w] = p;
      this.labelEnd[b] = p;
      this.bestEdge[w] = NONE;
      this.bestEdge[b] = NONE;
      if (t === 1) {
        const scratch = this.leafScratch;
        scratch.length = 0;
        for (const v of this.leaves(b, scratch)) this.push(v);
        return;
      }
      // A T-blossom's base is matched; its mate becomes an S-vertex.
      const base = this.blossomBase[b]!;
      const mateEnd = this.mate[base]!;
      w = this.endpoint[mateEnd]!;
      t = 1;
      p = mateEnd ^ 1;
    }
  }

  /** Trace back from v and w to find a new blossom's base, or -1 when they are in different trees. */
  scanBlossom(v: number, w: number): number {
    const path: number[] = [];
    let base = NONE;
    while (v !== NONE || w !== NONE) {
      let b = this.inBlossom[v]!;
      if (this.label[b]! & 4) {
        base = this.blossomBase[b]!;
        break;
      }
      path.push(b);
      this.label[b] = 5;
      if (this.labelEnd[b] === NONE) {
        v = NONE; // reached the root of this tree
      } else {
        v = this.endpoint[this.labelEnd[b]!]!;
        b = this.inBlossom[v]!;
        v = this.endpoint[this.labelEnd[b]!]!;
      }
      if (w !== NONE) [v, w] = [w, v];
    }
    for (const b of path) this.label[b] = 1;
    return base;
  }

  /** Make a new S-blossom from the cycle closed by edge k, with the given base. */
  addBlossom(base: number, k: number): void {
    let v = this.endpoint[2 * k]!;
    let w = this.endpoint[2 * k + 1]!;
    const bb = this.inBlossom[base]!;
    let bv = this.inBlossom[v]!;
    let bw = this.inBlossom[w]!;
    const b = this.unusedBlossoms.pop()!;
    this.blossomBase[b] = base;
    this.blossomParent[b] = NONE;
    this.blossomParent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      this.blossomParent[bv] = b;
      path.push(bv);
      endps.push(this.labelEnd[bv]!);
      v = this.endpoint[this.labelEnd[bv]!]!;
      bv = this.inBlossom[v]!;
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      this.blossomParent[bw] = b;
      path.push(bw);
      endps.push(this.labelEnd[bw]! ^ 1);
      w = this.endpoint[this.labelEnd[bw]!]!;
      bw = this.inBlossom[w]!;
    }
    this.blossomChildren[b] = path;
    this.blossomEndpoints[b] = endps;
    this.label[b] = 1;
    this.labelEnd[b] = this.labelEnd[bb]!;
    this.joinTree(b, NONE, this.treeOf[bb]!);
    this.dual[b] = 0;
    for (const leaf of this.leaves(b)) {
      // Former T-vertices become S-vertices and must be scanned.
      if (this.label[this.inBlossom[leaf]!] === 2) this.push(leaf);
      this.inBlossom[leaf] = b;
    }
    this.collectBestEdges(b, path);
  }

  /** Remember, for the new blossom b, its least-slack edge to each other S-blossom. */
  private collectBestEdges(b: number, path: readonly number[]): void {
    const { bestEdgeTo: bestTo, bestEdgeToSlack: bestToSlack, inBlossom, label, endpoint } = this;
    const touched: number[] = [];
    const consider = (k: number, j: number, slack: number): void => {
      const bj = inBlossom[j]!;
      if (bj === b || label[bj] !== 1) return;
      if (bestTo[bj] === NONE) {
        touched.push(bj);
      } else if (slack >= bestToSlack[bj]!) {
        return;
      }
      bestTo[bj] = k;
      bestToSlack[bj] = slack;
    };
    for (const sub of path) {
      const known = this.blossomBestEdges[sub];
      if (known) {
        for (const k of known) {
          let j = endpoint[2 * k + 1]!;
          if (inBlossom[j] === b) j = endpoint[2 * k]!;
          consider(k, j, this.slack(k));
        }
      } else {
        for (const leaf of this.leaves(sub)) {
          const end = this.neighbourStart[leaf + 1]!;
          const dualLeaf = this.dual[leaf]!;
          for (let i = this.neighbourStart[leaf]!; i < end; i++) {
            const j = this.neighbourVertex[i]!;
            if (label[inBlossom[j]!] !== 1) continue;
            consider(
              this.neighbourEnd[i]! >> 1,
              j,
              dualLeaf + this.dual[j]! - this.neighbourDoubleWeight[i]!,
            );
          }
        }
      }
      this.blossomBestEdges[sub] = null;
      this.bestEdge[sub] = NONE;
    }
    const best: number[] = [];
    let bestEdge = NONE;
    let bestSlack = 0;
    for (const bj of touched) {
      const k = bestTo[bj]!;
      bestTo[bj] = NONE;
      best.push(k);
      if (bestEdge === NONE || bestToSlack[bj]! < bestSlack) {
        bestEdge = k;
        bestSlack = bestToSlack[bj]!;
      }
    }
    this.blossomBestEdges[b] = best;
    this.bestEdge[b] = bestEdge;
  }
}
