/**
 * An anonymous summary of the access needs members shared, for planning: counts only, never
 * names, so that other features (meetings) can show it to coordinators without seeing anyone's
 * answers. Members who have left the group are not counted.
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { type Db, type MemberRow, schema, type Tx } from '../../db/client.js';
import type { SealKey } from '../privacy/sealed.js';
import { plural } from '../text.js';
import { ACCESS_NEEDS, openAccessNeeds } from './sensitive.js';
import type { ProfileRow } from './store.js';

export interface NeedsSummary {
  /** How many members shared needs that could be read. */
  readonly shared: number;
  /** Members per need, by its value ("papers-early"). */
  readonly counts: ReadonlyMap<string, number>;
  /** Members who described needs in their own words. */
  readonly ownWords: number;
}

export async function accessNeedsSummary(
  db: Db | Tx,
  key: SealKey | undefined,
  groupId: number,
): Promise<NeedsSummary | undefined> {
  if (!key) return undefined;
  const counts = new Map<string, number>();
  let shared = 0;
  let ownWords = 0;
  for (const { member, profile } of await sharedNeeds(db, groupId)) {
    const opened = openAccessNeeds(key, groupId, member.id, profile.accessNeedsSealed);
    if (!opened) continue;
    shared++;
    for (const c of new Set(opened.choices)) counts.set(c, (counts.get(c) ?? 0) + 1);
    if (opened.other) ownWords++;
  }
  return { shared, counts, ownWords };
}

/** The profiles, still sealed, of members in the group now who shared access needs; by name. */
export async function sharedNeeds(
  db: Db | Tx,
  groupId: number,
): Promise<{ member: MemberRow; profile: ProfileRow }[]> {
  const { onboardingProfiles: profiles, groupMembers, members } = schema;
  return db
    .select({ profile: profiles, member: members })
    .from(profiles)
    .innerJoin(members, eq(members.id, profiles.memberId))
    .innerJoin(
      groupMembers,
      and(eq(groupMembers.groupId, profiles.groupId), eq(groupMembers.memberId, profiles.memberId)),
    )
    .where(
      and(eq(profiles.groupId, groupId), isNotNull(profiles.accessNeedsSealed), isNull(groupMembers.leftAt)),
    )
    .orderBy(asc(members.displayName));
}

/** "2 members asked for papers a week ahead", one line per need someone asked for. */
export function summaryLines(summary: NeedsSummary): string[] {
  const lines = ACCESS_NEEDS.flatMap((need) => {
    const n = summary.counts.get(need.value) ?? 0;
    return n > 0 ? [`${plural(n, 'member')} asked for ${need.summary}`] : [];
  });
  if (summary.ownWords > 0)
    lines.push(`${plural(summary.ownWords, 'member')} described needs in their own words`);
  return lines;
}

export const PAPERS_EARLY = 'papers-early';
