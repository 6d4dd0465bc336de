/**
 * Newcomers and buddies: a b-matching, where each buddy takes at most their capacity of
 * newcomers (default 2) including those they already look after. It is solved exactly by giving
 * each buddy one copy of themselves per free place and finding a maximum-weight matching
 * between newcomers and places that first gives as many newcomers a buddy as possible.
 *
 * A place's weight is the pair's score (scoring.ts), plus FIRST_NEWCOMER_BONUS when it would be
 * the buddy's first newcomer, so newcomers spread across buddies before anyone takes a second.
 * The same hard rules as for peer rounds apply: no avoided or forbidden pair, nobody paused.
 */
import { type Edge, maxWeightMatching } from './blossom.js';
import { available, PairConstraints } from './constraints.js';
import { ScoreTable } from './scoring.js';
import type { Candidate, PairRules, RoundHistory, ScoreParts } from './types.js';

export const DEFAULT_BUDDY_CAPACITY = 2;
export const FIRST_NEWCOMER_BONUS = 10;

export interface Buddy extends Candidate {
  /** How many newcomers they are willing to look after at once. */
  readonly capacity?: number;
  /** How many they look after now. */
  readonly load: number;
}

export interface BuddyInput {
  readonly newcomers: readonly Candidate[];
  readonly buddies: readonly Buddy[];
  readonly at: Date;
  readonly history?: RoundHistory;
  readonly rules?: PairRules;
}

export interface BuddyAssignment {
  readonly newcomer: string;
  readonly buddy: string;
  readonly parts: ScoreParts;
}

export interface BuddyPlan {
  readonly assignments: readonly BuddyAssignment[];
  /** Newcomers still waiting (no buddy with a free place they may be paired with). */
  readonly waiting: readonly string[];
}

export function assignBuddies(input: BuddyInput): BuddyPlan {
  const newcomers = available(input.newcomers);
  const newcomerIds = new Set(newcomers.map((n) => n.id));
  // Someone waiting for a buddy is not offered as one in the same run.
  const buddies = (available(input.buddies) as Buddy[]).filter((b) => !newcomerIds.has(b.id));
  const people = [...newcomers, ...buddies];
  const table = new ScoreTable(people, input.at, input.history);
  const constraints = new PairConstraints(people, input.rules?.forbidden);

  // Vertices: newcomers first, then one per free place.
  const placeOwner: number[] = [];
  const placeIsFirst: boolean[] = [];
  buddies.forEach((b, i) => {
    const free = (b.capacity ?? DEFAULT_BUDDY_CAPACITY) - b.load;
    for (let c = 0; c < free; c++) {
      placeOwner.push(newcomers.length + i);
      placeIsFirst.push(b.load + c === 0);
    }
  });
  const edges: Edge[] = [];
  newcomers.forEach((_, n) => {
    placeOwner.forEach((owner, place) => {
      if (!constraints.allowed(n, owner)) return;
      const bonus = placeIsFirst[place] ? FIRST_NEWCOMER_BONUS : 0;
      edges.push([n, newcomers.length + place, table.weight(n, owner) + bonus]);
    });
  });
  const mate = maxWeightMatching(newcomers.length + placeOwner.length, edges, { maxCardinality: true });

  const assignments: BuddyAssignment[] = [];
  const waiting: string[] = [];
  newcomers.forEach((newcomer, n) => {
    const place = mate[n]!;
    if (place === -1) {
      waiting.push(newcomer.id);
      return;
    }
    const owner = placeOwner[place - newcomers.length]!;
    assignments.push({ newcomer: newcomer.id, buddy: people[owner]!.id, parts: table.parts(n, owner) });
  });
  return { assignments, waiting };
}
