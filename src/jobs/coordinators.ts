import { and, eq, isNull } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Message, PlatformKind } from '../chat/index.js';
import { enqueueMessage } from './outbox.js';

export interface CoordinatorContact {
  readonly memberId: number;
  readonly platform: PlatformKind;
  readonly workspaceId: string;
  readonly userId: string;
  readonly displayName: string;
}

/** The people currently holding the coordinator role in a group. */
export async function coordinatorsOf(db: Db | Tx, groupId: number): Promise<CoordinatorContact[]> {
  const rows = await db
    .select({
      memberId: schema.members.id,
      platform: schema.members.platform,
      workspaceId: schema.members.workspaceId,
      userId: schema.members.userId,
      displayName: schema.members.displayName,
    })
    .from(schema.roleAssignments)
    .innerJoin(schema.members, eq(schema.members.id, schema.roleAssignments.memberId))
    .where(
      and(
        eq(schema.roleAssignments.groupId, groupId),
        eq(schema.roleAssignments.roleKey, 'coordinator'),
        isNull(schema.roleAssignments.removedAt),
      ),
    )
    .orderBy(schema.members.id);
  return rows.map((r) => ({ ...r, platform: r.platform as PlatformKind }));
}

/**
 * Tell a group's coordinators something went wrong, by direct message, through the outbox and in
 * the caller's transaction (so the note exists exactly when the failure is recorded). `purpose`
 * makes the note idempotent: the same failure noted twice sends one message per coordinator.
 * Returns how many coordinators will be told.
 */
export async function notifyCoordinators(
  tx: Tx,
  now: Date,
  groupId: number,
  purpose: string,
  message: Message,
): Promise<number> {
  const coordinators = await coordinatorsOf(tx, groupId);
  for (const c of coordinators) {
    await enqueueMessage(tx, now, {
      purpose,
      platform: c.platform,
      destination: { kind: 'dm', userId: c.userId, workspaceId: c.workspaceId },
      message,
      groupId,
    });
  }
  return coordinators.length;
}
