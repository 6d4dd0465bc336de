/**
 * What a digest section is. Features bring their own (`digestSections` in defineFeature); the
 * digest shows them in the order of the feature list and knows nothing of what they report.
 * Each returns undefined when it has nothing to say, so a digest only shows what happened.
 */
import type { Db, GroupRow, Tx } from '../../db/client.js';

export interface SectionContext {
  readonly db: Db | Tx;
  readonly group: GroupRow;
  /** The period covered: after `since`, up to and including `until` (so consecutive digests never overlap). */
  readonly since: Date;
  readonly until: Date;
  /** "this week", or "since Monday 2 November" when the digest covers more than a week. */
  readonly period: string;
  /** Timezone for the times shown: the group's, or the reader's own in a private preview. */
  readonly zone: string;
}

export interface DigestSection {
  readonly title: string;
  /** Short, plain sentences; each becomes a list item. */
  readonly lines: readonly string[];
}

export type DigestSectionBuilder = (ctx: SectionContext) => Promise<DigestSection | undefined>;
