/**
 * Finding the meeting a button or form names. A code from another workspace is answered as if
 * no such meeting existed: its code says nothing here.
 */

import type { Db, Tx } from '../../db/client.js';
import type { Actor } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { FormContext } from '../features.js';
import { requireCoordinator } from '../groups/roles.js';
import type { GroupRow } from '../groups/types.js';
import { type MeetingRow, meetingByCode } from './store.js';

export async function meetingHere(
  db: Db | Tx,
  actor: Actor,
  code: string,
  nothing: string,
): Promise<{ meeting: MeetingRow; group: GroupRow }> {
  const found = await meetingByCode(db, code);
  if (!found || found.group.platform !== actor.platform || found.group.workspaceId !== actor.workspaceId)
    throw new UserError('unknown_meeting', `That meeting no longer exists. ${nothing}`);
  return found;
}

/** The meeting a coordinators' form is about, once the person saving it may still change it. */
export async function meetingForCoordinator(
  ctx: FormContext,
  toDo: string,
  nothing: string,
): Promise<{ meeting: MeetingRow; group: GroupRow }> {
  const found = await meetingHere(ctx.deps.db, ctx.actor, ctx.event.state ?? '', nothing);
  await requireCoordinator(ctx.deps.db, found.group.id, ctx.member.id, toDo, nothing);
  return found;
}
