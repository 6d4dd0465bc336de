/**
 * What a digest section is. Features bring their own (`digestSections` in defineFeature); the
 * digest shows them in the order of the feature list and knows nothing of what they report.
 * Each returns undefined when it has nothing to say, so a digest only shows what happened.
 *
 * The weekly run composes the digests of many groups at once, so a section that can should also
 * answer for many groups together (`many`, made with sectionForGroups): a query per section for
 * the whole batch, instead of one per group, is what keeps Monday morning short with a thousand
 * groups. A plain function still works; it is asked once per group.
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

/** One answer per context, in the same order. The contexts share one database handle. */
export type ManySections = (
  ctxs: readonly SectionContext[],
) => Promise<readonly (DigestSection | undefined)[]>;

export interface DigestSectionBuilder {
  (ctx: SectionContext): Promise<DigestSection | undefined>;
  /** The same for many groups at once, in a few queries for all of them. */
  readonly many?: ManySections;
}

/** A section that answers for many groups at once; for one group, it is a batch of one. */
export function sectionForGroups(many: ManySections): DigestSectionBuilder {
  const one = async (ctx: SectionContext) => (await many([ctx]))[0];
  return Object.assign(one, { many });
}

/** Every group's answer from one section: all at once when it can, else one group at a time. */
export async function buildForGroups(
  build: DigestSectionBuilder,
  ctxs: readonly SectionContext[],
): Promise<readonly (DigestSection | undefined)[]> {
  if (ctxs.length === 0) return [];
  if (build.many) return build.many(ctxs);
  const out: (DigestSection | undefined)[] = [];
  for (const ctx of ctxs) out.push(await build(ctx));
  return out;
}

/**
 * What a batch covers, for its queries: the groups, and from the earliest start to the latest
 * end. Each group's rows are then kept to its own period with `inPeriod`.
 */
export function span(ctxs: readonly SectionContext[]) {
  const first = ctxs[0] as SectionContext;
  let since = first.since;
  let until = first.until;
  for (const c of ctxs) {
    if (c.since < since) since = c.since;
    if (c.until > until) until = c.until;
  }
  return { db: first.db, groupIds: [...new Set(ctxs.map((c) => c.group.id))], since, until };
}

/** After the period's start, up to and including its end. */
export const inPeriod = (ctx: Pick<SectionContext, 'since' | 'until'>, at: Date | null): at is Date =>
  at !== null && at > ctx.since && at <= ctx.until;
