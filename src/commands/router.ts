import type { CommandEvent } from '../chat/index.js';
import { literal, textMessage } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import { UserError } from '../errors.js';
import { groupForChannel, groupsOfMember } from '../groups/groups.js';
import { ensureMember, findMember, joinGroup } from '../groups/members.js';
import { coordinatorsOf, isCoordinator } from '../groups/roles.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { listOf, mention } from '../text.js';
import { catalogue } from './catalogue.js';
import { briefHelp, helpMessage, type Standing } from './help.js';
import { parseCommand, parseStructured } from './parser.js';
import type { Args, CommandSpec, Mention, Reply, RunCommand } from './types.js';

/** Handlers by catalogue id; an id with none answers "coming soon". */
export type CommandHandlers = ReadonlyMap<string, RunCommand>;

/** Parse, find the group, check who may run it (on the server, whatever the platform shows), run. */
export async function routeCommand(
  deps: FeatureDeps,
  event: CommandEvent,
  handlers: CommandHandlers,
): Promise<Reply> {
  const parsed =
    event.input.kind === 'text'
      ? parseCommand(event.input.text, catalogue)
      : parseStructured(event.input.commandId, event.input.options, catalogue);
  if (!parsed.ok) throw parsed.error;
  const { spec, args } = parsed;
  refuseTypedMentions(event, args);
  const available = (id: string) => id === 'help' || handlers.has(id);

  if (spec.id === 'help') {
    if (event.input.kind === 'text' && event.input.text.trim() === '')
      return { message: briefHelp(await standingOf(deps, event)) };
    return {
      message: helpMessage(catalogue, available, args.command as string | undefined, event.actor.platform),
    };
  }
  const handler = handlers.get(spec.id);
  if (!handler) {
    return {
      message: textMessage(
        `/copro ${spec.path.join(' ')} (${spec.summary.charAt(0).toLowerCase()}${spec.summary.slice(1)}) is coming soon: it is not ready yet. Type /copro help to see what you can do today.`,
      ),
    };
  }

  // A command that only reads records nothing about someone copro does not know.
  const unrecorded = spec.readOnly === true && !(await findMember(deps.db, event.actor));
  const member = unrecorded ? unrecordedMember(event) : await ensureMember(deps.db, event.actor);
  const group = await resolveGroup(deps, event, member, spec);
  let coordinator = false;
  if (group) {
    coordinator = !unrecorded && (await isCoordinator(deps.db, group.id, member.id));
    if (spec.access === 'coordinator' && !coordinator) throw await refusal(deps, group, spec);
    // Anyone who uses the group's commands in its channel is part of the group.
    if (!unrecorded && (spec.access !== 'anyone' || spec.needsGroup))
      await joinGroup(deps.db, group.id, member.id, deps.clock.now());
  }
  const context = { deps, event, actor: event.actor, spec, args, group, member, isCoordinator: coordinator };
  return handler(unrecorded ? { ...context, unrecorded } : context);
}

/** The person as a member record that is not stored: id 0, which no stored record has. */
function unrecordedMember(event: CommandEvent): MemberRow {
  const { actor } = event;
  return {
    id: 0,
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    displayName: actor.displayName,
    timezone: actor.timezone ?? null,
    createdAt: new Date(0),
  };
}

/** Whether this channel has a group and the person coordinates it; nothing is stored by asking. */
async function standingOf(deps: FeatureDeps, event: CommandEvent): Promise<Standing> {
  const { actor } = event;
  const group = event.channelId
    ? await groupForChannel(deps.db, actor.platform, actor.workspaceId, event.channelId)
    : undefined;
  if (!group) return { groupHere: false, coordinator: false };
  const member = await findMember(deps.db, actor);
  return { groupHere: true, coordinator: member ? await isCoordinator(deps.db, group.id, member.id) : false };
}

async function resolveGroup(
  deps: FeatureDeps,
  event: CommandEvent,
  member: MemberRow,
  spec: CommandSpec,
): Promise<GroupRow | undefined> {
  const { actor } = event;
  if (event.channelId) {
    const here = await groupForChannel(deps.db, actor.platform, actor.workspaceId, event.channelId);
    if (here || !spec.needsGroup) return here;
  }
  if (!spec.needsGroup) return undefined;
  const mine = await groupsOfMember(deps.db, member.id);
  if (mine.length === 1) return mine[0];
  if (mine.length === 0) {
    throw new UserError(
      'no_group',
      'There is no copro group here yet. A coordinator can start one by typing /copro setup in the channel the group uses.',
    );
  }
  throw new UserError(
    'which_group',
    `You are in more than one group (${listOf(mine.map((g) => g.name))}). Please type the command in the channel of the group you mean.`,
  );
}

async function refusal(deps: FeatureDeps, group: GroupRow, spec: CommandSpec): Promise<UserError> {
  const coordinators = await coordinatorsOf(deps.db, group.id);
  const who = listOf(coordinators.map(mention));
  const verb = coordinators.length > 1 ? 'coordinate' : 'coordinates';
  return new UserError(
    'coordinators_only',
    `Only coordinators can use /copro ${spec.path.join(' ')}.${who ? ` Ask ${who}, who ${verb} this group.` : ''}`,
  );
}

/**
 * Slack and Discord turn a person picked after "@" into a mention; a name they could not match
 * stays plain text. Taken as a person, it would become a member nobody is (counted in the group,
 * holding roles). Only the terminal names people by typing them.
 */
function refuseTypedMentions(event: CommandEvent, args: Args): void {
  if (event.actor.platform === 'console') return;
  for (const value of Object.values(args)) {
    const typed = value as Mention | undefined;
    if (typed?.kind !== 'mention' || !typed.typed) continue;
    throw new UserError(
      'typed_mention',
      `copro cannot tell who "@${literal(typed.displayName ?? typed.userId)}" is: it came as plain text, not as a mention. Type @ and pick the person from the list that appears, so their name shows as a mention. Nothing was changed.`,
    );
  }
}
