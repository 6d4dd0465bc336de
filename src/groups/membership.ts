import { and, eq, isNull, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { oneOf, rowsOf } from '../../db/rows.js';
import type { Actor } from '../chat/index.js';
import type { AppDeps } from '../deps.js';
import { UserError } from '../errors.js';
import { MEMBER } from './builtin-roles.js';
import { joinGroup } from './members.js';
import type { GroupRow, MemberRow } from './types.js';

/** Said when the platform cannot tell copro who is in the group's channel. */
export const MEMBERSHIP_UNKNOWN_TEXT =
  "copro could not check who is in the group's channel just now. Nothing was recorded. Please try again in a minute.";

/** What someone told they are not a member can do about it. */
export const ASK_TO_JOIN = 'If you should be one, ask a coordinator to add you to that channel.';

/**
 * Is this person a member of the group now? Membership comes from the group's home channel:
 * the join and leave events copro saw, and, for someone it has not seen, the platform's answer
 * to "are they in the channel?". Never from a click, a vote or a button's value. When the platform
 * does not answer, the person is told so (a UserError), not that they are not a member.
 *
 * Someone the platform confirms is recorded as a member from the group's start, not from now:
 * copro does not know when they joined, and their first click is not it.
 */
export async function isGroupMember(
  deps: Pick<AppDeps, 'db' | 'platforms' | 'logger'>,
  group: GroupRow,
  member: MemberRow,
  actor: Actor,
): Promise<boolean> {
  if (actor.platform !== group.platform || actor.workspaceId !== group.workspaceId) return false;
  if (member.platform !== group.platform || member.workspaceId !== group.workspaceId) return false;
  if (await isRecordedMember(deps.db, group.id, member.id)) return true;
  const platform = deps.platforms[group.platform];
  let inChannel: boolean | undefined;
  try {
    inChannel = await platform?.isChannelMember?.(group.workspaceId, group.homeChannelId, member.userId);
  } catch (err) {
    // Not knowing is not "no": a member must never be told they do not belong.
    deps.logger.warn({ err, groupId: group.id }, 'could not ask the platform who is in the channel');
    throw new UserError('membership-unknown', MEMBERSHIP_UNKNOWN_TEXT);
  }
  if (!inChannel) return false;
  await joinGroup(deps.db, group.id, member.id, group.createdAt);
  return true;
}

/** Whether copro has them in the group now: they joined, or were added, and have not left. */
export async function isRecordedMember(db: Db | Tx, groupId: number, memberId: number): Promise<boolean> {
  const [row] = await db
    .select({ memberId: schema.groupMembers.memberId })
    .from(schema.groupMembers)
    .where(
      and(
        eq(schema.groupMembers.groupId, groupId),
        eq(schema.groupMembers.memberId, memberId),
        isNull(schema.groupMembers.leftAt),
      ),
    );
  return row !== undefined;
}

/**
 * isGroupMember for several people at once: which of them are members of the group now. Those
 * copro has on record are read in one statement; the platform is asked about the others, and
 * those it confirms are recorded together, as isGroupMember records one.
 */
export async function groupMembersAmong(
  deps: Pick<AppDeps, 'db' | 'platforms' | 'logger'>,
  group: GroupRow,
  people: readonly { readonly member: MemberRow; readonly actor: Actor }[],
): Promise<Set<number>> {
  const same = (p: { platform: string; workspaceId: string }) =>
    p.platform === group.platform && p.workspaceId === group.workspaceId;
  const candidates = people.filter((p) => same(p.actor) && same(p.member));
  if (candidates.length === 0) return new Set();
  const gm = schema.groupMembers;
  const recorded = await deps.db
    .select({ memberId: gm.memberId })
    .from(gm)
    .where(
      and(
        eq(gm.groupId, group.id),
        oneOf(gm.memberId, [...new Set(candidates.map((p) => p.member.id))]),
        isNull(gm.leftAt),
      ),
    );
  const members = new Set(recorded.map((r) => r.memberId));
  const platform = deps.platforms[group.platform];
  const confirmed = new Set<number>();
  for (const { member } of candidates) {
    if (members.has(member.id) || confirmed.has(member.id)) continue;
    try {
      if (await platform?.isChannelMember?.(group.workspaceId, group.homeChannelId, member.userId))
        confirmed.add(member.id);
    } catch (err) {
      // Left out here; a click is then handled alone, where isGroupMember asks again.
      deps.logger.warn({ err, groupId: group.id }, 'could not ask the platform who is in the channel');
    }
  }
  if (confirmed.size === 0) return members;
  const at = group.createdAt;
  const joined = await deps.db
    .insert(gm)
    .select(
      rowsOf(
        gm,
        [...confirmed]
          .sort((a, b) => a - b)
          .map((memberId) => ({ groupId: group.id, memberId, joinedAt: at })),
      ),
    )
    .onConflictDoUpdate({
      target: [gm.groupId, gm.memberId],
      set: { leftAt: null },
      setWhere: sql`${gm.leftAt} is not null`,
    })
    .returning({ memberId: gm.memberId });
  if (joined.length > 0)
    await deps.db
      .insert(schema.roleAssignments)
      .select(
        rowsOf(
          schema.roleAssignments,
          joined.map((j) => ({ groupId: group.id, memberId: j.memberId, roleKey: MEMBER, assignedAt: at })),
        ),
      )
      .onConflictDoNothing();
  for (const id of confirmed) members.add(id);
  return members;
}
