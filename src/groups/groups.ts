import { and, eq, isNull } from 'drizzle-orm';
import { type Db, isRowId, schema, type Tx } from '../../db/client.js';
import type { PlatformKind } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { GroupRow } from './types.js';

const { groups, groupMembers } = schema;

/** The group a button or form belongs to (by the id it carries), which may have gone since. */
export async function groupById(db: Db | Tx, groupId: number): Promise<GroupRow> {
  const [group] = isRowId(groupId) ? await db.select().from(groups).where(eq(groups.id, groupId)) : [];
  if (!group) throw new UserError('unknown_group', 'That group no longer exists, so nothing was changed.');
  return group;
}

export async function groupForChannel(
  db: Db | Tx,
  platform: PlatformKind,
  workspaceId: string,
  channelId: string,
): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(
      and(
        eq(groups.platform, platform),
        eq(groups.workspaceId, workspaceId),
        eq(groups.homeChannelId, channelId),
      ),
    );
  return row;
}

/** Groups a member currently belongs to. */
export async function groupsOfMember(db: Db | Tx, memberId: number): Promise<GroupRow[]> {
  const rows = await db
    .select({ group: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.memberId, memberId), isNull(groupMembers.leftAt)))
    .orderBy(groups.id);
  return rows.map((r) => r.group);
}

export async function groupsInWorkspace(
  db: Db | Tx,
  platform: PlatformKind,
  workspaceId: string,
): Promise<GroupRow[]> {
  return db
    .select()
    .from(groups)
    .where(and(eq(groups.platform, platform), eq(groups.workspaceId, workspaceId)))
    .orderBy(groups.id);
}
