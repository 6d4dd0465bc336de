import { type Block, literal, type Message } from '../chat/index.js';
import { listOf, mention } from '../text.js';
import type { RoleWithHolders } from './roles.js';
import type { GroupRow } from './types.js';

/** Who is reading: coordinators see every holder; others see holders of a private role only if shown. */
export interface Viewer {
  readonly memberId: number;
  readonly isCoordinator: boolean;
}

/**
 * "Held by: ..." for one role as this viewer may see it. A non-coordinator never learns whether
 * anyone holds a sensitive role privately: the line reads the same whether someone does or not.
 */
export function heldByLine({ role, holders }: RoleWithHolders, viewer: Viewer): string {
  if (!role.sensitive)
    return holders.length > 0 ? listOf(holders.map((h) => mention(h.member))) : 'nobody yet';
  if (viewer.isCoordinator) {
    const all = holders.map((h) => `${mention(h.member)}${h.shown ? '' : ' (private)'}`);
    return all.length > 0 ? listOf(all) : 'nobody yet';
  }
  const seen = holders
    .filter((h) => h.shown || h.member.id === viewer.memberId)
    .map((h) => (h.shown ? mention(h.member) : 'you (only you and coordinators can see this)'));
  return seen.length > 0 ? listOf(seen) : 'nobody who has chosen to show it';
}

export const PRIVATE_ROLE_NOTE =
  'This role is private. Only coordinators and the person with the role can see who has it, unless that person chooses to show it.';

export function rolesMessage(group: GroupRow, roles: readonly RoleWithHolders[], viewer: Viewer): Message {
  const name = literal(group.name);
  const blocks: Block[] = [{ type: 'heading', text: `Roles in ${name}` }];
  const lines: string[] = [`Roles in ${name}:`];
  for (const entry of roles) {
    const { role } = entry;
    const who = heldByLine(entry, viewer);
    const privateNote = role.sensitive ? `\n${PRIVATE_ROLE_NOTE}` : '';
    blocks.push({
      type: 'text',
      text: `**${literal(role.name)}**: ${literal(role.description)}\nHeld by: ${who}${privateNote}`,
    });
    lines.push(`${literal(role.name)}: ${who}.`);
  }
  blocks.push({
    type: 'context',
    text: 'Coordinators can change roles with /copro role add, /copro role remove and /copro role define. If you hold a private role, /copro profile lets you choose whether the group sees it.',
  });
  return { text: lines.join('\n'), blocks };
}
