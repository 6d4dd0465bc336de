import { and, eq, isNull, notInArray } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { GroupRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/index.js';
import { formatWhen } from '../time.js';
import { voteControls } from './render.js';
import type { PollRow } from './store.js';
import { voterKeys } from './voter-key.js';

const { groupMembers, members, pollVotes, pollReminderOptOuts } = schema;

/**
 * One private reminder to each member who has not voted, a day before the close. Members who
 * turned reminders off are skipped: nagging people with little energy to spare is not kind.
 * Returns how many were queued.
 */
export async function remindNonVoters(
  tx: Tx,
  group: GroupRow,
  poll: PollRow,
  now: Date,
  secret: Buffer | undefined,
): Promise<number> {
  // Without the secret copro cannot tell who voted on an anonymous poll, so it reminds nobody.
  if (poll.anonymous && !secret) return 0;
  const optedOut = tx
    .select({ id: pollReminderOptOuts.memberId })
    .from(pollReminderOptOuts)
    .where(eq(pollReminderOptOuts.groupId, group.id));
  const candidates = await tx
    .select({
      id: members.id,
      userId: members.userId,
      workspaceId: members.workspaceId,
      timezone: members.timezone,
    })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(
      and(eq(groupMembers.groupId, group.id), isNull(groupMembers.leftAt), notInArray(members.id, optedOut)),
    );
  const voted = new Set(
    (await tx.select({ key: pollVotes.voterKey }).from(pollVotes).where(eq(pollVotes.pollId, poll.id))).map(
      (v) => v.key,
    ),
  );
  const keyOf = voterKeys(poll, secret);
  let queued = 0;
  for (const member of candidates) {
    if (voted.has(keyOf(member.id))) continue;
    const sent = await enqueueMessage(tx, now, {
      purpose: `poll.remind:${poll.id}`,
      platform: group.platform,
      destination: { kind: 'dm', userId: member.userId, workspaceId: member.workspaceId },
      message: reminderMessage(group, poll, member.timezone ?? group.timezone),
      groupId: group.id,
    });
    if (sent) queued++;
  }
  return queued;
}

function reminderMessage(group: GroupRow, poll: PollRow, timezone: string): Message {
  const closes = poll.closesAt ? `It closes ${formatWhen(poll.closesAt, timezone)} (${timezone}).` : '';
  const text =
    `A gentle reminder from ${literal(group.name)}: the poll "${literal(poll.question)}" (${poll.code}) is still open and you have not voted. ` +
    `${closes} Voting is optional, and your view is welcome.`;
  return {
    text,
    blocks: [
      { type: 'text', text },
      ...voteControls(poll),
      { type: 'context', text: 'Rather not get these? Turn poll reminders off below.' },
      {
        type: 'buttons',
        buttons: [
          { actionId: 'poll.reminders-off', label: 'Turn off poll reminders', value: String(group.id) },
        ],
      },
    ],
  };
}
