/**
 * A member's own view of their roles, and their choice to show a private role to the group.
 *
 * Holding a sensitive role (expert by experience, carer) can say something about someone's health
 * or life. Only the holder decides whether the group sees it: from the private message copro
 * sends when they are given the role, or from /copro profile (src/onboarding shows this section
 * there), and they can change their mind.
 */
import { and, eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { type Block, literal, type Message, textMessage } from '../chat/index.js';
import type { ActionContext } from '../features.js';
import { listOf, mention } from '../text.js';
import { type HeldRole, heldRoles, setRoleShown } from './roles.js';
import type { GroupRow, MemberRow, RoleRow } from './types.js';

export const VISIBILITY_ACTION = 'role.visibility';

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const asA = (role: RoleRow) => `${article(role.name)} ${literal(role.name)}`;

function visibilityBlocks(group: GroupRow, held: HeldRole, where: 'dm' | 'profile'): Block[] {
  const { role, shown } = held;
  const value = (choice: 'show' | 'hide') => `${group.id}:${role.key}:${choice}:${where}`;
  return shown
    ? [
        {
          type: 'text',
          text: `**${literal(role.name)}**: shown. Everyone in ${literal(group.name)} can see that you are ${asA(role)}.`,
        },
        {
          type: 'buttons',
          buttons: [
            {
              actionId: VISIBILITY_ACTION,
              label: `Hide that I am ${article(role.name)} ${role.name}`,
              value: value('hide'),
            },
          ],
        },
      ]
    : [
        {
          type: 'text',
          text: `**${literal(role.name)}**: private. Only coordinators and you can see that you are ${asA(role)}.`,
        },
        {
          type: 'buttons',
          buttons: [
            {
              actionId: VISIBILITY_ACTION,
              label: `Show the group I am ${article(role.name)} ${role.name}`,
              value: value('show'),
            },
          ],
        },
      ];
}

/**
 * The member's roles, with a show or hide choice for each private one: part of /copro profile,
 * and the answer to a show or hide click.
 */
export function rolesSection(group: GroupRow, held: readonly HeldRole[]): Message {
  const names = held.map((h) => literal(h.role.name));
  const summary = `Your roles in ${literal(group.name)}: ${names.length > 0 ? listOf(names) : 'none yet'}.`;
  const blocks: Block[] = [{ type: 'text', text: summary }];
  const sensitive = held.filter((h) => h.role.sensitive);
  for (const h of sensitive) blocks.push(...visibilityBlocks(group, h, 'profile'));
  if (sensitive.length > 0) {
    blocks.push({
      type: 'context',
      text: 'A private role is one that can say something about your health or life. You can change your choice at any time with /copro profile.',
    });
  }
  return { text: summary, blocks };
}

/** The private message to someone just given a sensitive role. */
export function sensitiveRoleMessage(group: GroupRow, held: HeldRole, by: MemberRow): Message {
  const { role } = held;
  const lead =
    `${mention(by)} gave you the role ${literal(role.name)} in ${literal(group.name)}: ${literal(role.description)}\n` +
    `This role is private. Only coordinators and you can see that you are ${asA(role)}, unless you choose to show it.`;
  return {
    text: lead,
    blocks: [
      { type: 'heading', text: `You are now ${asA(role)}` },
      { type: 'text', text: lead },
      ...visibilityBlocks(group, held, 'dm').slice(1),
      { type: 'context', text: 'You can change your choice at any time with /copro profile.' },
    ],
  };
}

/** The private note to someone whose role a coordinator has just made private. */
export function madePrivateMessage(group: GroupRow, role: RoleRow, by: MemberRow): Message {
  const lead =
    `${mention(by)} made the role ${literal(role.name)} in ${literal(group.name)} private. ` +
    `Only coordinators and you can now see that you are ${asA(role)}, unless you choose to show it.`;
  return {
    text: lead,
    blocks: [
      { type: 'heading', text: 'Your role is now private' },
      { type: 'text', text: lead },
      ...visibilityBlocks(group, { role, shown: false }, 'dm').slice(1),
      { type: 'context', text: 'You can change your choice at any time with /copro profile.' },
    ],
  };
}

/** The private note to a newcomer who chose a private role during their welcome. */
export function chosenRoleMessage(group: GroupRow, role: RoleRow): Message {
  const lead =
    `You chose the role ${literal(role.name)} in ${literal(group.name)}. It is private: only coordinators ` +
    `and you can see that you are ${asA(role)}, unless you choose to show it.`;
  return {
    text: lead,
    blocks: [
      { type: 'heading', text: `You are now ${asA(role)}` },
      { type: 'text', text: lead },
      ...visibilityBlocks(group, { role, shown: false }, 'dm').slice(1),
      { type: 'context', text: 'You can change your choice at any time with /copro profile.' },
    ],
  };
}

const VALUE = /^(\d{1,12}):([\p{L}\p{N}-]{1,80}):(show|hide):(dm|profile)$/u;

/** The holder's show or hide click. Only the holder of the role, in that group, can make it. */
export async function changeVisibility(ctx: ActionContext): Promise<void> {
  const { deps, event, member } = ctx;
  const refuse = (text: string) => event.reply(textMessage(text), { private: true });
  const parts = VALUE.exec(event.value);
  if (!parts) return refuse('That button no longer works. Type /copro profile to see your roles.');
  const [, groupId, roleKey, choice, where] = parts as unknown as [
    string,
    string,
    string,
    'show' | 'hide',
    string,
  ];
  const [group] = await deps.db
    .select()
    .from(schema.groups)
    .where(
      and(
        eq(schema.groups.id, Number(groupId)),
        eq(schema.groups.platform, ctx.actor.platform),
        eq(schema.groups.workspaceId, ctx.actor.workspaceId),
      ),
    );
  const role = group
    ? await setRoleShown(deps.db, {
        groupId: group.id,
        memberId: member.id,
        roleKey,
        shown: choice === 'show',
      })
    : undefined;
  if (!group || !role) {
    return refuse(
      'That choice belongs to the person who holds the role, and only while they hold it. Type /copro profile to see your own roles.',
    );
  }
  const lead =
    choice === 'show'
      ? `Done: everyone in ${literal(group.name)} can now see that you are ${asA(role)}.`
      : `Done: only coordinators and you can now see that you are ${asA(role)}.`;
  const section = rolesSection(group, await heldRoles(deps.db, group.id, member.id));
  const answer: Message = {
    text: `${lead}\n${section.text}`,
    blocks: [{ type: 'text', text: lead }, ...(section.blocks ?? [])],
  };
  // The private message about a new role is replaced; /copro profile's answer holds more than
  // roles, so it stays, and the new state comes as its own private answer.
  if (where === 'dm') await event.updateMessage(answer);
  else await event.reply(answer, { private: true });
}
