import type { Block, Message } from './chat/index.js';
import type { FeatureDeps } from './deps.js';
import type { Feature } from './features.js';
import { groupsOfMember } from './groups/groups.js';
import type { MemberRow } from './groups/types.js';

/** The bot's home view: one part per group the person belongs to, each feature adding its part. */
export async function homeMessage(
  deps: FeatureDeps,
  features: readonly Feature[],
  member: MemberRow | undefined,
): Promise<Message> {
  const groups = member ? await groupsOfMember(deps.db, member.id) : [];
  if (!member || groups.length === 0) {
    const text =
      "Hello! You are not in a copro group yet. When a coordinator sets one up in a channel you're in, it will show here. Type /copro help to see what copro can do.";
    return {
      text,
      blocks: [
        { type: 'heading', text: 'copro' },
        { type: 'text', text },
      ],
    };
  }
  const blocks: Block[] = [];
  const lines: string[] = [];
  for (const group of groups) {
    for (const feature of features) {
      const part = await feature.homeSection?.(deps, group, member);
      if (!part) continue;
      if (blocks.length > 0) blocks.push({ type: 'divider' });
      blocks.push(...(part.blocks ?? [{ type: 'text', text: part.text }]));
      lines.push(part.text);
    }
  }
  return { text: lines.join('\n'), blocks };
}
