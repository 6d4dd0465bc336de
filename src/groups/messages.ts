import type { Block, Message } from '../chat/index.js';
import { listOf, mention } from '../text.js';
import type { RoleWithHolders } from './roles.js';
import type { GroupRow } from './types.js';

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
