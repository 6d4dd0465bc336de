import type { Tx } from '../../db/client.js';
import type { Message } from '../chat/index.js';
import { coordinatorsOf } from '../groups/roles.js';
import { enqueueMessage } from './outbox.js';

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
