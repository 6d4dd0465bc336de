/** Expanding blossoms and augmenting the matching: the second half of the blossom algorithm. */
import type { BlossomTree } from './blossom-tree.js';

const NONE = -1;

/**
 * Dissolve top-level blossom b into its children. Mid-stage (a T-blossom whose dual reached
 * zero) the children on the even path keep the tree's labels; at the end of a stage children
 * whose dual is zero are dissolved too.
 */
export function expandBlossom(t: BlossomTree, b: number, endStage: boolean): void {
  const children = t.blossomChildren[b]!;
  const endps = t.blossomEndpoints[b]!;
  for (const s of children) {
    t.blossomParent[s] = NONE;
    if (s < t.n) {
      t.inBlossom[s] = s;
    } else if (endStage && t.dual[s] === 0) {
      expandBlossom(t, s, endStage);
    } else {
      for (const v of t.leaves(s)) t.inBlossom[v] = s;
    }
  }
  if (!endStage && t.label[b] === 2) {
    relabelExpandedT(t, b, children, endps);
  }
  t.label[b] = NONE;
  t.labelEnd[b] = NONE;
  t.blossomChildren[b] = null;
  t.blossomEndpoints[b] = null;
  t.blossomBase[b] = NONE;
  t.blossomBestEdges[b] = null;
  t.bestEdge[b] = NONE;
  t.unusedBlossoms.push(b);
}

/** Give the children of an expanded T-blossom the labels the alternating tree needs. */
function relabelExpandedT(t: BlossomTree, b: number, children: number[], endps: number[]): void {
  const { endpoint, label, labelEnd } = t;
  // The child through which the blossom was reached.
  const entryChild = t.inBlossom[endpoint[labelEnd[b]! ^ 1]!]!;
  let { j, jStep, endpTrick, at } = walkToBase(children, children.indexOf(entryChild));
  let p = labelEnd[b]!;
  while (j !== 0) {
    // Relabel the T-sub-blossom and the S-sub-blossom after it.
    label[endpoint[p ^ 1]!] = 0;
    label[endpoint[endps[at(j - endpTrick)]! ^ endpTrick ^ 1]!] = 0;
    t.assignLabel(endpoint[p ^ 1]!, 2, p);
    t.allowEdge[endps[at(j - endpTrick)]! >> 1] = 1;
    j += jStep;
    p = endps[at(j - endpTrick)]! ^ endpTrick;
    t.allowEdge[p >> 1] = 1;
    j += jStep;
  }
  // The base sub-blossom becomes a T-blossom reached through p; don't relabel its mate.
  let bv = children[at(j)]!;
  label[endpoint[p ^ 1]!] = 2;
  label[bv] = 2;
  labelEnd[endpoint[p ^ 1]!] = p;
  labelEnd[bv] = p;
  t.joinTree(bv, p, NONE);
  t.bestEdge[bv] = NONE;
  j += jStep;
  // Sub-blossoms on the odd path that were reached from outside get their T label back.
  while (children[at(j)] !== entryChild) {
    bv = children[at(j)]!;
    if (label[bv] === 1) {
      j += jStep;
      continue;
    }
    let reached = NONE;
    for (const v of t.leaves(bv)) {
      if (label[v] !== 0) {
        reached = v;
        break;
      }
    }
    if (reached !== NONE) {
      label[reached] = 0;
      label[endpoint[t.mate[t.blossomBase[bv]!]!]!] = 0;
      t.assignLabel(reached, 2, labelEnd[reached]!);
    }
    j += jStep;
  }
}

/** Swap matched and unmatched edges inside blossom b along the even path from v to its base. */
function augmentBlossom(t: BlossomTree, b: number, v: number): void {
  let child = v;
  while (t.blossomParent[child] !== b) child = t.blossomParent[child]!;
  if (child >= t.n) augmentBlossom(t, child, v);
  const children = t.blossomChildren[b]!;
  const endps = t.blossomEndpoints[b]!;
  const i = children.indexOf(child);
  let { j, jStep, endpTrick, at } = walkToBase(children, i);
  const { endpoint, mate } = t;
  while (j !== 0) {
    j += jStep;
    let s = children[at(j)]!;
    const p = endps[at(j - endpTrick)]! ^ endpTrick;
    if (s >= t.n) augmentBlossom(t, s, endpoint[p]!);
    j += jStep;
    s = children[at(j)]!;
    if (s >= t.n) augmentBlossom(t, s, endpoint[p ^ 1]!);
    mate[endpoint[p]!] = p ^ 1;
    mate[endpoint[p ^ 1]!] = p;
  }
  // Rotate so that the new base comes first.
  t.blossomChildren[b] = children.slice(i).concat(children.slice(0, i));
  t.blossomEndpoints[b] = endps.slice(i).concat(endps.slice(0, i));
  t.blossomBase[b] = t.blossomBase[t.blossomChildren[b]![0]!]!;
}

/** Flip the augmenting path through edge k, which joins two S-vertices of different trees. */
export function augmentMatching(t: BlossomTree, k: number): void {
  const { endpoint, inBlossom, labelEnd, mate } = t;
  const starts: Array<[number, number]> = [
    [endpoint[2 * k]!, 2 * k + 1],
    [endpoint[2 * k + 1]!, 2 * k],
  ];
  for (let [s, p] of starts) {
    for (;;) {
      const bs = inBlossom[s]!;
      if (bs >= t.n) augmentBlossom(t, bs, s);
      mate[s] = p;
      if (labelEnd[bs] === NONE) break; // reached the tree's root
      const tv = endpoint[labelEnd[bs]!]!;
      const bt = inBlossom[tv]!;
      s = endpoint[labelEnd[bt]!]!;
      const j = endpoint[labelEnd[bt]! ^ 1]!;
      if (bt >= t.n) augmentBlossom(t, bt, j);
      mate[j] = labelEnd[bt]!;
      p = labelEnd[bt]! ^ 1;
    }
  }
}

/**
 * Which way to walk a blossom's cycle from the child at `index` so the path to its base has even
 * length: forward from an odd position, backward from an even one. `at` wraps negative positions.
 */
function walkToBase(children: readonly number[], index: number) {
  const odd = (index & 1) === 1;
  return {
    j: odd ? index - children.length : index,
    jStep: odd ? 1 : -1,
    endpTrick: odd ? 0 : 1,
    at: (x: number): number => (x < 0 ? x + children.length : x),
  };
}
