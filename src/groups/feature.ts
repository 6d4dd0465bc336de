import { DeliveryError, literal, type Message } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { roleKey } from '../commands/values.js';
import type { FeatureDeps } from '../deps.js';
import { UserError } from '../errors.js';
import { defineFeature } from '../features.js';
import { enqueueMessage } from '../jobs/index.js';
import { workspaceBack } from '../privacy/workspaces.js';
import { article, listOf, mention } from '../text.js';
import { COORDINATOR, MEMBER } from './builtin-roles.js';
import { newMembersAndRoles } from './digest.js';
import { ensureMentioned, joinGroup } from './members.js';
import { PRIVATE_ROLE_NOTE, rolesMessage } from './messages.js';
import { groupsPersonalData } from './personal-data.js';
import { changeVisibility, madePrivateMessage, sensitiveRoleMessage, VISIBILITY_ACTION } from './profile.js';
import {
  addRole,
  coordinatorsOf,
  defineRole,
  type RoleChange,
  removeRole,
  rolesOfMember,
  rolesWithHolders,
} from './roles.js';
import { groupSettings, saveGroupSettings } from './settings.js';
import { setupGroup } from './setup.js';
import type { GroupRow, MemberRow, RoleRow } from './types.js';

async function setup(ctx: ContextOf<'setup'>): Promise<Reply> {
  const { deps, event, actor, member, args } = ctx;
  if (!event.channelId) {
    throw new UserError(
      'needs_channel',
      'Run /copro setup in the channel you want the group to use as its home.',
    );
  }
  const result = await setupGroup(deps.db, {
    actor,
    member,
    channelId: event.channelId,
    channelName: event.channelName,
    name: args.name,
    timezone: args.timezone,
    at: deps.clock.now(),
  });
  // A workspace that removed copro and has added it back: it is no longer to be erased.
  await workspaceBack(
    deps.db,
    { platform: actor.platform, workspaceId: actor.workspaceId },
    deps.clock.now(),
  );
  if (result.kind === 'exists') {
    const who = listOf(result.coordinators.map(mention)) || 'nobody yet';
    return privately(
      `This channel is already the home of ${literal(result.group.name)}, so setup changed nothing.\nIt is coordinated by ${who}. ` +
        'To change its name or timezone, a coordinator can type /copro group settings.',
    );
  }
  const { group } = result;
  const text =
    `${literal(group.name)} is set up, with this channel as its home. Times are shown for ${group.timezone}.\n` +
    `${mention(member)} is the coordinator.\n` +
    'Next: give people roles with /copro role add @person ROLE, or see them with /copro roles. Type /copro help for more.';
  return {
    public: true,
    message: {
      text,
      blocks: [
        { type: 'heading', text: 'copro is ready' },
        { type: 'text', text },
      ],
    },
  };
}

async function roles(ctx: ContextOf<'roles'>): Promise<Reply> {
  const { group } = ctx;
  const viewer = { memberId: ctx.member.id, isCoordinator: ctx.isCoordinator };
  return { message: rolesMessage(group, await rolesWithHolders(ctx.deps.db, group.id), viewer) };
}

/** The change a role command asks for: who, which role, by whom, when. */
async function roleChange(ctx: ContextOf<'role.add' | 'role.remove'>): Promise<RoleChange> {
  return {
    group: ctx.group,
    by: ctx.member,
    target: await ensureMentioned(ctx.deps.db, ctx.actor.platform, ctx.actor.workspaceId, ctx.args.user),
    roleKey: ctx.args.role,
    at: ctx.deps.clock.now(),
  };
}

/** "<@sam>" and "a researcher", for answers about a role change. */
const named = (change: RoleChange, role: { readonly name: string }) =>
  [mention(change.target), `${article(role.name)} ${literal(role.name)}`] as const;

async function roleAdd(ctx: ContextOf<'role.add'>): Promise<Reply> {
  const change = await roleChange(ctx);
  const { added, role } = await addRole(ctx.deps.db, change);
  const [who, aRole] = named(change, role);
  if (!added) return privately(`${who} is already ${aRole}. Nothing changed.`);
  if (!role.sensitive) return privately(`Done: ${who} is now ${aRole}.`);
  const told = await tellHolder(
    ctx,
    change,
    sensitiveRoleMessage(change.group, { role, shown: false }, ctx.member),
  );
  return privately(
    `Done: ${who} is now ${aRole}. This role is private. Only coordinators and ${who} can see that they have it, unless they choose to show it.\n` +
      (told
        ? 'copro has told them privately, and offered them the choice.'
        : 'copro could not send them a private message. Please let them know they can choose whether the group sees it with /copro profile.'),
  );
}

/** A private message to the person given a role. False when their platform would not take it. */
async function tellHolder(
  ctx: ContextOf<'role.add'>,
  change: RoleChange,
  message: Message,
): Promise<boolean> {
  const platform = ctx.deps.platforms[ctx.actor.platform];
  if (!platform) return false;
  try {
    await platform.post(
      { kind: 'dm', userId: change.target.userId, workspaceId: change.target.workspaceId },
      message,
    );
    return true;
  } catch (error) {
    // Someone may have closed their direct messages: the coordinator is told instead.
    if (!(error instanceof DeliveryError && error.reason === 'rejected')) throw error;
    return false;
  }
}

async function roleRemove(ctx: ContextOf<'role.remove'>): Promise<Reply> {
  const change = await roleChange(ctx);
  const { removed, role } = await removeRole(ctx.deps.db, change);
  const [who, aRole] = named(change, role);
  return privately(
    removed
      ? `Done: ${who} is no longer ${aRole}. The record of their time in the role is kept.`
      : `${who} is not ${aRole}, so there was nothing to remove.`,
  );
}

async function roleDefine(ctx: ContextOf<'role.define'>): Promise<Reply> {
  const name = ctx.args.role.trim();
  const description = ctx.args.description.trim();
  const key = roleKey(name);
  if (!key) throw new UserError('bad_role_name', 'A role name needs at least one letter or number.');
  if (name.length > 60)
    throw new UserError('bad_role_name', 'Please keep the role name under 60 characters.');
  if (description.length > 500)
    throw new UserError('too_long', 'Please keep the description under 500 characters.');
  const sensitive = ctx.args.sensitive === true;
  if (sensitive && (key === COORDINATOR || key === MEMBER)) {
    throw new UserError(
      'not_private',
      key === COORDINATOR
        ? 'The coordinator role cannot be private: members need to know who to ask for help.'
        : 'Everyone in the group holds the member role, so it cannot be private.',
    );
  }
  const { created, role, madePrivate } = await defineRole(ctx.deps.db, {
    group: ctx.group,
    by: ctx.member,
    key,
    name: name.toLowerCase(),
    description,
    sensitive,
    at: ctx.deps.clock.now(),
  });
  const shown = `"${literal(role.name)}"`;
  const told = madePrivate ? await tellHoldersItIsPrivate(ctx, role) : 0;
  const privacy = role.sensitive ? `\n${PRIVATE_ROLE_NOTE}` : '';
  return privately(
    (created
      ? `New role ${shown}: ${literal(role.description)}\nGive it to someone with /copro role add @person ${literal(role.name)}.`
      : `Updated what ${shown} involves: ${literal(role.description)}`) +
      privacy +
      (told > 0
        ? `\ncopro has told the ${told === 1 ? 'person who holds it' : `${told} people who hold it`} privately, and offered them the choice.`
        : ''),
  );
}

/**
 * A role made private changes what the group sees about the people who already hold it: each is
 * told privately, with the same choice to show it that a newly given private role comes with.
 */
async function tellHoldersItIsPrivate(ctx: ContextOf<'role.define'>, role: RoleRow): Promise<number> {
  const { deps, group, member } = ctx;
  const holders =
    (await rolesWithHolders(deps.db, group.id)).find((r) => r.role.key === role.key)?.holders ?? [];
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (const { member: holder } of holders) {
      await enqueueMessage(tx, now, {
        purpose: `role.private:${group.id}:${role.key}:${now.toISOString()}`,
        platform: holder.platform,
        destination: { kind: 'dm', userId: holder.userId, workspaceId: holder.workspaceId },
        message: madePrivateMessage(group, role, member),
        groupId: group.id,
      });
    }
  });
  await deps.outbox?.flush();
  return holders.length;
}

async function homeSection(deps: FeatureDeps, group: GroupRow, member: MemberRow): Promise<Message> {
  const held = await rolesOfMember(deps.db, group.id, member.id);
  const coordinators = await coordinatorsOf(deps.db, group.id);
  const text =
    `Your roles: ${held.length > 0 ? listOf(held.map((r) => literal(r.name))) : 'none yet'}.\n` +
    `Coordinated by ${listOf(coordinators.map(mention)) || 'nobody yet'}.`;
  return {
    text,
    blocks: [
      { type: 'heading', text: literal(group.name) },
      { type: 'text', text },
    ],
  };
}

export const groupsFeature = defineFeature({
  name: 'groups',
  commands: {
    setup,
    roles,
    'role.add': roleAdd,
    'role.remove': roleRemove,
    'role.define': roleDefine,
    'group.settings': groupSettings,
  },
  forms: { 'group.settings': saveGroupSettings },
  actions: { [VISIBILITY_ACTION]: changeVisibility },
  async onMemberJoined(deps, group, member) {
    // Retried deliveries never reach here (the event id is recorded). The welcome itself is the
    // start of onboarding (src/onboarding), which runs after this.
    await joinGroup(deps.db, group.id, member.id, deps.clock.now());
  },
  homeSection,
  digestSections: [newMembersAndRoles],
  personalData: groupsPersonalData,
});
