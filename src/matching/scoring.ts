/**
 * How well two members suit each other, as an integer so the matching stays exact:
 *
 * - 2 points for each whole hour both are normally awake (08:00 to 21:00 in their own
 *   timezone, on the day of the round, so daylight saving is right): 0 to 26;
 * - 3 points for each shared interest, counting at most 5: 0 to 15;
 * - a repeat of a pair from the last 6 rounds costs a penalty larger than any sum of scores a
 *   whole round could gain, so a repeat happens only when no pairing of as many people avoids it.
 */
import { DateTime } from 'luxon';
import type { Candidate, RoundHistory, ScoreParts } from './types.js';

export const WAKING_START_HOUR = 8;
export const WAKING_END_HOUR = 21;
export const POINTS_PER_OVERLAP_HOUR = 2;
export const POINTS_PER_SHARED_INTEREST = 3;
export const MAX_COUNTED_INTERESTS = 5;
export const REPEAT_WINDOW = 6;
export const MAX_PAIR_SCORE =
  (WAKING_END_HOUR - WAKING_START_HOUR) * POINTS_PER_OVERLAP_HOUR +
  MAX_COUNTED_INTERESTS * POINTS_PER_SHARED_INTEREST;

const DAY = 24 * 60;

/** A penalty no gain in score can outweigh, for a round of `people` members. */
export function repeatPenaltyFor(people: number): number {
  return MAX_PAIR_SCORE * Math.max(1, Math.floor(people / 2)) + 1;
}

/** Minutes in a day when both are awake, from their UTC offsets (minutes east of UTC). */
export function wakingOverlapMinutes(offsetA: number, offsetB: number): number {
  const length = (WAKING_END_HOUR - WAKING_START_HOUR) * 60;
  const startA = WAKING_START_HOUR * 60 - offsetA;
  const startB = WAKING_START_HOUR * 60 - offsetB;
  let overlap = 0;
  for (const shift of [-DAY, 0, DAY]) {
    const from = Math.max(startA, startB + shift);
    const to = Math.min(startA + length, startB + shift + length);
    if (to > from) overlap += to - from;
  }
  return Math.min(overlap, length);
}

function offsetAt(zone: string, at: Date): number {
  const dt = DateTime.fromJSDate(at, { zone });
  return dt.isValid ? dt.offset : 0;
}

/**
 * Scores for every pair of a fixed list of members, by index, precomputed so that scoring the
 * millions of pairs of a large group is cheap: zones become indices into an overlap table,
 * interests become bitsets.
 */
export class ScoreTable {
  readonly size: number;
  readonly repeatPenalty: number;
  private readonly zoneOf: Int32Array;
  private readonly overlapHours: Int32Array;
  private readonly zoneCount: number;
  private readonly words: number;
  private readonly interestBits: Uint32Array;
  /** For each member, recent partners' indices and how many rounds ago they met. */
  private readonly recent: Array<Map<number, number>>;

  constructor(
    readonly members: readonly Candidate[],
    at: Date,
    history: RoundHistory = [],
  ) {
    this.size = members.length;
    this.repeatPenalty = repeatPenaltyFor(members.length);
    const zones = new Map<string, number>();
    this.zoneOf = new Int32Array(members.length);
    members.forEach((m, i) => {
      if (!zones.has(m.timezone)) zones.set(m.timezone, zones.size);
      this.zoneOf[i] = zones.get(m.timezone)!;
    });
    this.zoneCount = zones.size;
    const offsets = [...zones.keys()].map((z) => offsetAt(z, at));
    this.overlapHours = new Int32Array(this.zoneCount * this.zoneCount);
    for (let a = 0; a < this.zoneCount; a++) {
      for (let b = 0; b < this.zoneCount; b++) {
        this.overlapHours[a * this.zoneCount + b] = Math.floor(
          wakingOverlapMinutes(offsets[a]!, offsets[b]!) / 60,
        );
      }
    }
    const tags = new Map<string, number>();
    for (const m of members) for (const tag of m.interests) if (!tags.has(tag)) tags.set(tag, tags.size);
    this.words = Math.max(1, Math.ceil(tags.size / 32));
    this.interestBits = new Uint32Array(this.words * members.length);
    members.forEach((m, i) => {
      for (const tag of m.interests) {
        const bit = tags.get(tag)!;
        this.interestBits[i * this.words + (bit >>> 5)]! |= 1 << (bit & 31);
      }
    });
    const index = new Map(members.map((m, i) => [m.id, i]));
    this.recent = members.map(() => new Map<number, number>());
    history.slice(0, REPEAT_WINDOW).forEach((round, r) => {
      for (const group of round) {
        const inGroup = group.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
        for (const a of inGroup) {
          for (const b of inGroup) {
            if (a !== b && !this.recent[a]!.has(b)) this.recent[a]!.set(b, r + 1);
          }
        }
      }
    });
  }

  sharedInterestCount(a: number, b: number): number {
    let count = 0;
    const w = this.words;
    for (let i = 0; i < w; i++) {
      let x = this.interestBits[a * w + i]! & this.interestBits[b * w + i]!;
      while (x !== 0) {
        x &= x - 1;
        count++;
      }
    }
    return count;
  }

  /** Score before any repeat penalty. */
  baseScore(a: number, b: number): number {
    const hours = this.overlapHours[this.zoneOf[a]! * this.zoneCount + this.zoneOf[b]!]!;
    const shared = Math.min(this.sharedInterestCount(a, b), MAX_COUNTED_INTERESTS);
    return hours * POINTS_PER_OVERLAP_HOUR + shared * POINTS_PER_SHARED_INTEREST;
  }

  metRoundsAgo(a: number, b: number): number | undefined {
    return this.recent[a]!.get(b);
  }

  /** Recent partners of a, as index → rounds ago. */
  recentPartners(a: number): ReadonlyMap<number, number> {
    return this.recent[a]!;
  }

  /** The weight the matching maximises: the score, less the penalty for a recent repeat. */
  weight(a: number, b: number): number {
    const base = this.baseScore(a, b);
    return this.recent[a]!.has(b) ? base - this.repeatPenalty : base;
  }

  parts(a: number, b: number): ScoreParts {
    const ma = this.members[a]!;
    const mb = new Set(this.members[b]!.interests);
    const sharedInterests = [...new Set(ma.interests)].filter((t) => mb.has(t)).sort();
    const wakingOverlapHours = this.overlapHours[this.zoneOf[a]! * this.zoneCount + this.zoneOf[b]!]!;
    const overlapPoints = wakingOverlapHours * POINTS_PER_OVERLAP_HOUR;
    const interestPoints =
      Math.min(sharedInterests.length, MAX_COUNTED_INTERESTS) * POINTS_PER_SHARED_INTEREST;
    const metRoundsAgo = this.metRoundsAgo(a, b);
    const repeatPoints = metRoundsAgo === undefined ? 0 : -this.repeatPenalty;
    return {
      wakingOverlapHours,
      sharedInterests,
      ...(metRoundsAgo === undefined ? {} : { metRoundsAgo }),
      overlapPoints,
      interestPoints,
      repeatPoints,
      total: overlapPoints + interestPoints + repeatPoints,
    };
  }
}
