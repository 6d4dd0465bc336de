/** The plain data the pairing works on: no database, no platform. */

export type CandidateStatus = 'active' | 'paused' | 'opted-out';

export interface Candidate {
  readonly id: string;
  /** IANA zone, e.g. "Europe/London". An unknown zone counts as UTC. */
  readonly timezone: string;
  /** Interest tags the member agreed to share with a partner. */
  readonly interests: readonly string[];
  readonly status: CandidateStatus;
  /** People this member asked never to be paired with. Private: used only to rule pairs out. */
  readonly avoid?: readonly string[];
}

export type Pair = readonly [string, string];

/** Past rounds, most recent first; each round is its groups, each group its member ids. */
export type RoundHistory = readonly (readonly (readonly string[])[])[];

export interface PairRules {
  /** Pairs a coordinator ruled out. */
  readonly forbidden?: readonly Pair[];
  /** Pairs a coordinator asked for; applied when both are available and nothing rules them out. */
  readonly pinned?: readonly Pair[];
}

/** Why a pair scored what it did, in parts a coordinator may see (never the avoid lists). */
export interface ScoreParts {
  /** Whole hours in a day when both are normally awake (08:00 to 21:00 their own time). */
  readonly wakingOverlapHours: number;
  readonly sharedInterests: readonly string[];
  /** Set when the two were paired in one of the last REPEAT_WINDOW rounds (1 = last round). */
  readonly metRoundsAgo?: number;
  readonly overlapPoints: number;
  readonly interestPoints: number;
  /** Zero, or minus the repeat penalty. */
  readonly repeatPoints: number;
  readonly total: number;
}

export interface PlannedGroup {
  readonly members: readonly string[];
  /** How the group came about: by the matching, a coordinator's pin, or an odd one out joining. */
  readonly kind: 'matched' | 'pinned';
  /** The score's parts for each pair within the group. */
  readonly reasons: readonly { readonly pair: Pair; readonly parts: ScoreParts }[];
}

export type UnmatchedReason = 'no-suitable-partner' | 'odd-one-out';

export interface RoundPlan {
  readonly groups: readonly PlannedGroup[];
  readonly unmatched: readonly { readonly id: string; readonly reason: UnmatchedReason }[];
  /** The optimal pairs the groups were built from (pins not included). */
  readonly pairs: readonly Pair[];
  /** Pins that could not be applied (someone unavailable, or the pair is ruled out). */
  readonly pinsSkipped: number;
  /** Pairs repeated from the last REPEAT_WINDOW rounds because nothing else was possible. */
  readonly repeats: number;
  /** Size of the graph the matching ran on, and the total weight of the chosen pairs. */
  readonly edges: number;
  readonly weight: number;
  /** Whether every allowed pair was in the graph (otherwise each member's best candidates). */
  readonly exact: boolean;
}
