import { and, eq, isNull } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Actor } from '../chat/index.js';
import type { AppDeps } from '../deps.js';
import { joinGroup } from './members.js';
import type { GroupRow, MemberRow } from './types.js';

/**
 * Is this person a member of the group now? Membership comes from the group's home channel:
 * the join and leave events copro saw, and, for someone it has not seen, the platform's answer
 * to "are they in the channel?". Never from a click, a vote or a button's value.
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
    deps.logger.warn({ err, groupId: group.id }, 'could not ask the platform who is in the channel');
    return false;
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
