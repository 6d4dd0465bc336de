/** Reading and writing buddy settings, rounds and buddies. */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { rowOfMember, saveMemberRow } from '../groups/member-row.js';
import type { GroupRow } from '../groups/types.js';
import { matchingProfile } from '../onboarding/matching.js';
import type { Candidate, Pair, RoundHistory } from './types.js';

const { buddySettings, buddyAvoids, matchRules, matchRounds, matchGroups, groupMembers, members } = schema;

export type SettingsRow = typeof buddySettings.$inferSelect;

export async function settingsOf(
  db: Db | Tx,
  groupId: number,
  memberId: number,
): Promise<SettingsRow | undefined> {
  return rowOfMember(db, buddySettings, groupId, memberId);
}

export async function updateSettings(
  db: Db | Tx,
  groupId: number,
  memberId: number,
  patch: Partial<Pick<SettingsRow, 'optedIn' | 'pausedUntil' | 'wantsBuddy' | 'capacity'>>,
  now: Date,
): Promise<void> {
  await saveMemberRow(db, buddySettings, groupId, memberId, patch, now);
}

export async function addAvoid(db: Db | Tx, groupId: number, memberId: number, avoidMemberId: number) {
  await db.insert(buddyAvoids).values({ groupId, memberId, avoidMemberId }).onConflictDoNothing();
}

export async function setRule(
  db: Db | Tx,
  groupId: number,
  kind: 'pin' | 'forbid',
  a: number,
  b: number,
): Promise<void> {
  const [memberA, memberB] = a < b ? [a, b] : [b, a];
  await db
    .insert(matchRules)
    .values({ groupId, kind, memberA, memberB })
    .onConflictDoUpdate({
      target: [matchRules.groupId, matchRules.memberA, matchRules.memberB],
      set: { kind },
    });
}

/** Remove a pin or a forbid (only of that kind); returns whether there was one. */
export async function removeRule(
  db: Db | Tx,
  groupId: number,
  kind: 'pin' | 'forbid',
  a: number,
  b: number,
): Promise<boolean> {
  const [memberA, memberB] = a < b ? [a, b] : [b, a];
  const removed = await db
    .delete(matchRules)
    .where(
      and(
        eq(matchRules.groupId, groupId),
        eq(matchRules.kind, kind),
        eq(matchRules.memberA, memberA),
        eq(matchRules.memberB, memberB),
      ),
    )
    .returning({ groupId: matchRules.groupId });
  return removed.length > 0;
}

export interface RoundMember {
  readonly id: number;
  readonly userId: string;
  readonly workspaceId: string;
  readonly displayName: string;
  readonly timezone: string | null;
}

/** Everyone in the group who opted in to peer rounds, as the pairing sees them, plus their accounts. */
export async function peerCandidates(
  db: Db | Tx,
  group: GroupRow,
  now: Date,
): Promise<{ candidates: Candidate[]; people: Map<string, RoundMember> }> {
  const rows = await db
    .select({ member: members, settings: buddySettings })
    .from(buddySettings)
    .innerJoin(members, eq(members.id, buddySettings.memberId))
    .innerJoin(
      groupMembers,
      and(
        eq(groupMembers.memberId, members.id),
        eq(groupMembers.groupId, group.id),
        isNull(groupMembers.leftAt),
      ),
    )
    .where(and(eq(buddySettings.groupId, group.id), eq(buddySettings.optedIn, true)))
    .orderBy(members.id);
  const avoids = await db.select().from(buddyAvoids).where(eq(buddyAvoids.groupId, group.id));
  const candidates: Candidate[] = [];
  const people = new Map<string, RoundMember>();
  for (const { member, settings } of rows) {
    const profile = await matchingProfile(db, group.id, member.id);
    const paused = settings.pausedUntil !== null && settings.pausedUntil > now;
    candidates.push({
      id: String(member.id),
      timezone: profile.timezone ?? member.timezone ?? group.timezone,
      interests: profile.interests,
      status: paused ? 'paused' : 'active',
      avoid: avoids.filter((a) => a.memberId === member.id).map((a) => String(a.avoidMemberId)),
    });
    people.set(String(member.id), member);
  }
  return { candidates, people };
}

export async function rulesOf(db: Db | Tx, groupId: number): Promise<{ pinned: Pair[]; forbidden: Pair[] }> {
  const rows = await db.select().from(matchRules).where(eq(matchRules.groupId, groupId));
  const pair = (r: (typeof rows)[number]): Pair => [String(r.memberA), String(r.memberB)];
  return {
    pinned: rows.filter((r) => r.kind === 'pin').map(pair),
    forbidden: rows.filter((r) => r.kind === 'forbid').map(pair),
  };
}

/** The last `count` rounds' groups, most recent first, as member id strings. */
export async function recentRounds(db: Db | Tx, groupId: number, count: number): Promise<RoundHistory> {
  const rounds = await db
    .select()
    .from(matchRounds)
    .where(eq(matchRounds.groupId, groupId))
    .orderBy(desc(matchRounds.number))
    .limit(count);
  if (rounds.length === 0) return [];
  const groups = await db
    .select()
    .from(matchGroups)
    .where(
      inArray(
        matchGroups.roundId,
        rounds.map((r) => r.id),
      ),
    );
  return rounds.map((r) => groups.filter((g) => g.roundId === r.id).map((g) => g.memberIds.map(String)));
}
