/** Finishing a journey: the member role, and (only if the member agreed) a hello in the channel. */
import { schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { enqueueMessage } from '../jobs/index.js';
import type { StepView } from './steps.js';

const MEMBER_ROLE = 'member';

export async function complete(tx: Tx, view: StepView, now: Date): Promise<void> {
  const { group, member, journey, profile } = view;
  await tx
    .insert(schema.roleAssignments)
    .values({ groupId: group.id, memberId: member.id, roleKey: MEMBER_ROLE, assignedAt: now })
    .onConflictDoNothing();
  if (!profile?.welcomePost) return;
  // Only the name the member chose: never a role, an answer or anything about their health.
  const name = profile.preferredName ?? member.displayName;
  const text = `Please welcome ${literal(name)} (<@${member.userId}>), who has just joined ${literal(group.name)}. Hello and welcome!`;
  await enqueueMessage(tx, now, {
    purpose: `onboarding.hello:${journey.id}`,
    platform: group.platform,
    destination: { kind: 'channel', channelId: group.homeChannelId, workspaceId: group.workspaceId },
    message: { text, blocks: [{ type: 'text', text }] },
    groupId: group.id,
  });
}
