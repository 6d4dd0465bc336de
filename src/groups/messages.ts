import type { Block, Message } from '../chat/index.js';
import type { RoleWithHolders } from './roles.js';
import type { GroupRow, MemberRow } from './types.js';

export const mention = (m: Pick<MemberRow, 'userId'>): string => `<@${m.userId}>`;

/** "Ann", "Ann and Bo", "Ann, Bo and Cy". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function rolesMessage(group: GroupRow, roles: readonly RoleWithHolders[]): Message {
  const blocks: Block[] = [{ type: 'heading', text: `Roles in ${group.name}` }];
  const lines: string[] = [`Roles in ${group.name}:`];
  for (const { role, holders } of roles) {
    const who = holders.length > 0 ? listOf(holders.map(mention)) : 'nobody yet';
    blocks.push({ type: 'text', text: `**${role.name}**: ${role.description}\nHeld by: ${who}` });
    lines.push(`${role.name}: ${who}.`);
  }
  blocks.push({
    type: 'context',
    text: 'Coordinators can change roles with /copro role add, /copro role remove and /copro role define.',
  });
  return { text: lines.join('\n'), blocks };
}
