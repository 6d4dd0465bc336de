/**
 * The main loop of the blossom algorithm: grow alternating trees from every free vertex, adjust
 * the duals when no tight edge is left, augment when two trees meet.
 *
 * The reference implementation throws every tree away after each augmentation and regrows them
 * all, which costs O(n·m) in scans alone: hours for 10,000 members. Here only the two trees that
 * met are dissolved. Their vertices lose their labels, the surviving S-vertices next to them are
 * scanned again (so edges into the freed vertices are seen afresh), and best-edge records that
 * pointed into the dissolved trees are recomputed when they are next read. Every invariant the
 * algorithm relies on (feasible duals, tight tree and matched edges, equal duals on free
 * vertices) holds across the dissolution, so the result is the same optimum.
 */
import { augmentMatching, expandBlossom } from './blossom-expand.js';
import type { BlossomTree } from './blossom-tree.js';

const NONE = -1;

export function runBlossom(t: BlossomTree, maxCardinality: boolean, restartAfterAugment = false): void {
  for (let v = 0; v < t.n; v++) if (t.mate[v] === NONE) t.assignLabel(v, 1, NONE);
  const seen = new Int32Array(2 * t.n);
  const queued = new Int32Array(t.n);
  let round = 0;
  for (;;) {
    const k = scan(t);
    if (k !== NONE) {
      if (restartAfterAugment) {
        augmentMatching(t, k);
        restart(t);
      } else {
        dissolveAndAugment(t, k, seen, queued, ++round);
      }
      continue;
    }
    if (!updateDuals(t, maxCardinality)) return;
  }
}

/**
 * Scan S-vertices from the queue; returns an edge joining two trees, or -1 when the queue
 * empties. This is the innermost loop of the whole matching, hence the local copies.
 */
function scan(t: BlossomTree): number {
  const { label, inBlossom, neighbourStart, neighbourEnd, neighbourVertex, neighbourDoubleWeight } = t;
  const { allowEdge, bestEdge, dual } = t;
  while (t.queueLength > 0) {
    const v = t.queue[--t.queueLength]!;
    if (label[inBlossom[v]!] !== 1) continue; // its tree was dissolved since it was queued
    const end = neighbourStart[v + 1]!;
    for (let i = neighbourStart[v]!; i < end; i++) {
      const w = neighbourVertex[i]!;
      const bw = inBlossom[w]!;
      if (inBlossom[v] === bw) continue;
      const p = neighbourEnd[i]!;
      const k = p >> 1;
      let kslack = 0;
      if (!allowEdge[k]) {
        kslack = dual[v]! + dual[w]! - neighbourDoubleWeight[i]!;
        if (kslack <= 0) allowEdge[k] = 1;
      }
      if (allowEdge[k]) {
        if (label[bw] === 0) {
          t.assignLabel(w, 2, p ^ 1);
        } else if (label[bw] === 1) {
          const base = t.scanBlossom(v, w);
          if (base < 0) return k;
          t.addBlossom(base, k);
        } else if (label[w] === 0) {
          // w is inside a T-blossom but not yet reached: remember how.
          label[w] = 2;
          t.labelEnd[w] = p ^ 1;
        }
      } else if (label[bw] === 1) {
        const b = inBlossom[v]!;
        if (bestEdge[b] === NONE || kslack < t.bestSlack(b)) bestEdge[b] = k;
      } else if (label[w] === 0) {
        if (bestEdge[w] === NONE || kslack < t.bestSlack(w)) bestEdge[w] = k;
      }
    }
  }
  return NONE;
}

/** Queue the S-neighbours of x (once per round) so they see their edge to x again. */
function requeueSNeighbours(t: BlossomTree, x: number, queued: Int32Array, round: number): void {
  const end = t.neighbourStart[x + 1]!;
  for (let i = t.neighbourStart[x]!; i < end; i++) {
    const y = t.endpoint[t.neighbourEnd[i]!]!;
    if (queued[y] !== round && isS(t, y)) {
      queued[y] = round;
      t.push(y);
    }
  }
}

function otherEnd(t: BlossomTree, k: number, v: number): number {
  const a = t.endpoint[2 * k]!;
  return a === v ? t.endpoint[2 * k + 1]! : a;
}

function isS(t: BlossomTree, v: number): boolean {
  return t.label[t.inBlossom[v]!] === 1;
}

/** The least-slack edge from any leaf of top-level blossom b to an S-vertex outside b, if `toS`. */
function freshBestEdge(t: BlossomTree, b: number): number {
  let best = NONE;
  let bestSlack = 0;
  for (const v of t.leaves(b)) {
    const end = t.neighbourStart[v + 1]!;
    for (let i = t.neighbourStart[v]!; i < end; i++) {
      const p = t.neighbourEnd[i]!;
      const w = t.endpoint[p]!;
      if (t.inBlossom[w] === b || !isS(t, w)) continue;
      const s = t.slack(p >> 1);
      if (best === NONE || s < bestSlack) {
        best = p >> 1;
        bestSlack = s;
      }
    }
  }
  return best;
}

/** Adjust the duals by the largest safe amount; false when no further progress is possible. */
function updateDuals(t: BlossomTree, maxCardinality: boolean): boolean {
  const { n, label, inBlossom, bestEdge, dual, blossomParent, blossomBase } = t;
  let deltaType = NONE;
  let delta = 0;
  let deltaEdge = NONE;
  let deltaBlossom = NONE;
  if (!maxCardinality) {
    deltaType = 1;
    delta = Number.POSITIVE_INFINITY;
    for (let v = 0; v < n; v++) if (dual[v]! < delta) delta = dual[v]!;
  }
  for (let v = 0; v < n; v++) {
    if (label[inBlossom[v]!] !== 0 || bestEdge[v] === NONE) continue;
    if (!isS(t, otherEnd(t, bestEdge[v]!, v))) {
      bestEdge[v] = freshBestEdge(t, v);
      if (bestEdge[v] === NONE) continue;
    }
    const d = t.slack(bestEdge[v]!);
    if (deltaType === NONE || d < delta) {
      delta = d;
      deltaType = 2;
      deltaEdge = bestEdge[v]!;
    }
  }
  for (let b = 0; b < 2 * n; b++) {
    if (blossomParent[b] !== NONE || label[b] !== 1 || bestEdge[b] === NONE) continue;
    const i = t.endpoint[2 * bestEdge[b]!]!;
    const j = t.endpoint[2 * bestEdge[b]! + 1]!;
    if (!isS(t, i) || !isS(t, j) || inBlossom[i] === inBlossom[j]) {
      bestEdge[b] = freshBestEdge(t, b);
      if (bestEdge[b] === NONE) continue;
    }
    const d = t.slack(bestEdge[b]!) / 2;
    if (deltaType === NONE || d < delta) {
      delta = d;
      deltaType = 3;
      deltaEdge = bestEdge[b]!;
    }
  }
  for (let b = n; b < 2 * n; b++) {
    if (blossomBase[b]! >= 0 && blossomParent[b] === NONE && label[b] === 2) {
      if (deltaType === NONE || dual[b]! < delta) {
        delta = dual[b]!;
        deltaType = 4;
        deltaBlossom = b;
      }
    }
  }
  if (deltaType === NONE) {
    // Only in max-cardinality mode: no augmenting path is left.
    return false;
  }
  t.dualVersion++;
  for (let v = 0; v < n; v++) {
    const l = label[inBlossom[v]!];
    if (l === 1) dual[v]! -= delta;
    else if (l === 2) dual[v]! += delta;
  }
  for (let b = n; b < 2 * n; b++) {
    if (blossomBase[b]! >= 0 && blossomParent[b] === NONE) {
      if (label[b] === 1) dual[b]! += delta;
      else if (label[b] === 2) dual[b]! -= delta;
    }
  }
  if (deltaType === 1) return false;
  if (deltaType === 2 || deltaType === 3) {
    t.allowEdge[deltaEdge] = 1;
    let i = t.endpoint[2 * deltaEdge]!;
    if (label[inBlossom[i]!] === 0) i = t.endpoint[2 * deltaEdge + 1]!;
    t.push(i);
  } else {
    expandBlossom(t, deltaBlossom, false);
  }
  return true;
}

/** The reference behaviour: forget every tree and grow them all again. */
function restart(t: BlossomTree): void {
  const { n } = t;
  for (let b = n; b < 2 * n; b++) {
    if (t.blossomParent[b] === NONE && t.blossomBase[b]! >= 0 && t.label[b] === 1 && t.dual[b] === 0) {
      expandBlossom(t, b, true);
    }
  }
  t.label.fill(0);
  t.bestEdge.fill(NONE);
  t.blossomBestEdges.fill(null, n);
  t.allowEdge.fill(0);
  t.queueLength = 0;
  for (let v = 0; v < n; v++) {
    if (t.mate[v] === NONE && t.label[t.inBlossom[v]!] === 0) t.assignLabel(v, 1, NONE);
  }
}

/** Augment through edge k, then unlabel the two trees it joined and rescan around them. */
function dissolveAndAugment(
  t: BlossomTree,
  k: number,
  seen: Int32Array,
  queued: Int32Array,
  round: number,
): void {
  const { n, label, inBlossom, blossomParent, treeOf } = t;
  const tops: number[] = [];
  const leaves: number[] = [];
  for (const end of [2 * k, 2 * k + 1]) {
    const tree = treeOf[inBlossom[t.endpoint[end]!]!]!;
    for (const b of t.treeMembers[tree] ?? []) {
      const current =
        blossomParent[b] === NONE &&
        (label[b] === 1 || label[b] === 2) &&
        treeOf[b] === tree &&
        (b < n || t.blossomBase[b]! >= 0);
      if (!current || seen[b] === round) continue;
      seen[b] = round;
      tops.push(b);
      t.leaves(b, leaves);
    }
    t.treeMembers[tree] = undefined;
  }
  augmentMatching(t, k);
  const zeroS: number[] = [];
  for (const b of tops) {
    if (b >= n && label[b] === 1 && t.dual[b] === 0) zeroS.push(b);
    unlabelNested(t, b);
  }
  for (const v of leaves) {
    const end = t.neighbourStart[v + 1]!;
    for (let i = t.neighbourStart[v]!; i < end; i++) t.allowEdge[t.neighbourEnd[i]! >> 1] = 0;
  }
  for (const b of zeroS) expandBlossom(t, b, true);
  for (const v of leaves) {
    requeueSNeighbours(t, v, queued, round);
    const end = t.neighbourStart[v + 1]!;
    for (let i = t.neighbourStart[v]!; i < end; i++) {
      const x = t.endpoint[t.neighbourEnd[i]!]!;
      const bx = inBlossom[x]!;
      if (label[bx] === 2 && bx !== x && label[x] === 2 && !isS(t, t.endpoint[t.labelEnd[x]!]!)) {
        // x sits inside a T-blossom and was reached from a vertex that is no longer in a tree.
        label[x] = 0;
        requeueSNeighbours(t, x, queued, round);
      }
    }
  }
}

function unlabelNested(t: BlossomTree, b: number): void {
  t.label[b] = 0;
  t.bestEdge[b] = NONE;
  if (b < t.n) return;
  t.blossomBestEdges[b] = null;
  for (const child of t.blossomChildren[b]!) unlabelNested(t, child);
}
