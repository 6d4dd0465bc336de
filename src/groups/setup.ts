import { type Db, schema } from '../../db/client.js';
import type { Actor } from '../chat/index.js';
import { UserError } from '../errors.js';
import { readTimezone } from '../time.js';
import { audit } from './audit.js';
import { builtinRoles, COORDINATOR } from './builtin-roles.js';
import { groupForChannel } from './groups.js';
import { joinGroup } from './members.js';
import { coordinatorsOf } from './roles.js';
import type { GroupRow, MemberRow } from './types.js';

export const DEFAULT_TIMEZONE = 'Europe/London';

export type SetupResult =
  | { readonly kind: 'created'; readonly group: GroupRow }
  | { readonly kind: 'exists'; readonly group: GroupRow; readonly coordinators: readonly MemberRow[] };

export interface SetupInput {
  readonly actor: Actor;
  readonly member: MemberRow;
  readonly channelId: string;
  readonly channelName?: string;
  readonly name?: string;
  readonly timezone?: string;
  readonly at: Date;
}

/**
 * Make a channel a group's home. The first person to do it becomes coordinator; running it again
 * changes nothing, so a second person cannot take a group over by repeating setup.
 */
export async function setupGroup(db: Db, input: SetupInput): Promise<SetupResult> {
  const { actor } = input;
  const existing = await groupForChannel(db, actor.platform, actor.workspaceId, input.channelId);
  if (existing)
    return { kind: 'exists', group: existing, coordinators: await coordinatorsOf(db, existing.id) };
  if (actor.isPlatformAdmin === false && actor.profileUnknown) {
    throw new UserError(
      'admin_unknown',
      'copro could not check just now whether you may start a group here (it asks the platform who administers it), so nothing was set up. Please try /copro setup again in a minute.',
    );
  }
  if (actor.isPlatformAdmin === false) {
    throw new UserError(
      'needs_admin',
      `Only ${actor.platform === 'discord' ? 'a server manager' : 'a workspace admin, or the person who created this channel,'} can start a new copro group. ` +
        'Ask one to run /copro setup in this channel. They become its coordinator and can then make you one.',
    );
  }
  const zone = readTimezone(input.timezone ?? DEFAULT_TIMEZONE);
  if (!zone.ok) throw new UserError('bad_timezone', zone.problem);
  const timezone = zone.zone;
  const name = input.name?.trim() || (input.channelName ? `#${input.channelName}` : 'Co-production group');
  return db.transaction(async (tx) => {
    const [group] = await tx
      .insert(schema.groups)
      .values({
        platform: actor.platform,
        workspaceId: actor.workspaceId,
        homeChannelId: input.channelId,
        name,
        timezone,
        createdAt: input.at,
      })
      .onConflictDoNothing()
      .returning();
    if (!group) {
      // Someone else set it up a moment ago: theirs stands.
      const raced = await groupForChannel(tx, actor.platform, actor.workspaceId, input.channelId);
      return {
        kind: 'exists',
        group: raced as GroupRow,
        coordinators: await coordinatorsOf(tx, (raced as GroupRow).id),
      };
    }
    await tx
      .insert(schema.roles)
      .values(builtinRoles.map((r) => ({ ...r, groupId: group.id, builtIn: true })));
    await joinGroup(tx, group.id, input.member.id, input.at);
    await tx.insert(schema.roleAssignments).values({
      groupId: group.id,
      memberId: input.member.id,
      roleKey: COORDINATOR,
      assignedBy: input.member.id,
      assignedAt: input.at,
    });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: input.member.id,
      action: 'group.setup',
      targetMemberId: input.member.id,
      details: { timezone, name },
      at: input.at,
    });
    return { kind: 'created', group };
  });
}
