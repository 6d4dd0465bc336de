/**
 * A week after a round, one "Did you get a chance to meet?" to each member, with three buttons.
 * "Couldn't this time" is a normal answer: it is never held against anyone, and only the share
 * of groups that met is ever reported, never who did not.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { isRowId, schema } from '../../db/client.js';
import { type Message, textMessage } from '../chat/index.js';
import type { ActionHandler } from '../features.js';
import { enqueueMessage } from '../jobs/index.js';

export const FOLLOW_UP_ACTION = 'match.met';
const ANSWERS = ['met', 'not-yet', 'could-not'] as const;
type Answer = (typeof ANSWERS)[number];

function question(matchGroupId: number, size: number): Message {
  const whom = size > 2 ? 'your peer buddy group' : 'your peer buddy';
  const text = `Did you get a chance to meet ${whom} this week? Any answer is fine.`;
  return {
    text: `${text} Reply with the buttons: We met, Not yet, or Couldn't this time.`,
    blocks: [
      { type: 'text', text },
      {
        type: 'buttons',
        buttons: [
          { actionId: FOLLOW_UP_ACTION, label: 'We met', value: `${matchGroupId}:met`, style: 'primary' },
          {
            actionId: FOLLOW_UP_ACTION,
            label: 'Not yet',
            value: `${matchGroupId}:not-yet`,
            style: 'default',
          },
          {
            actionId: FOLLOW_UP_ACTION,
            label: "Couldn't this time",
            value: `${matchGroupId}:could-not`,
            style: 'default',
          },
        ],
      },
    ],
  };
}

/** Runs once per round (its key is the round); a late run after downtime still asks, once. */
export async function askWhetherTheyMet(tx: Tx, roundId: number, now: Date): Promise<void> {
  {
    const [round] = await tx.select().from(schema.matchRounds).where(eq(schema.matchRounds.id, roundId));
    if (!round) return;
    const [group] = await tx.select().from(schema.groups).where(eq(schema.groups.id, round.groupId));
    if (!group) return;
    const groups = await tx.select().from(schema.matchGroups).where(eq(schema.matchGroups.roundId, roundId));
    for (const g of groups) {
      for (const memberId of g.memberIds) {
        const [m] = await tx.select().from(schema.members).where(eq(schema.members.id, memberId));
        if (!m) continue;
        await enqueueMessage(tx, now, {
          purpose: `match:follow-up:${g.id}`,
          platform: group.platform,
          destination: { kind: 'dm', userId: m.userId, workspaceId: group.workspaceId },
          // As introduced: a member forgotten since leaves a group of 3 still a group, not a pair.
          message: question(g.id, g.size),
          groupId: group.id,
        });
      }
    }
  }
}

const THANKS: Record<Answer, string> = {
  met: 'Thank you, that is lovely to hear.',
  'not-yet': 'Thank you for letting me know. There is no rush: meet whenever suits you.',
  'could-not':
    'Thank you for letting me know. That is completely fine, and you will be included in the next round.',
};

export const answerFollowUp: ActionHandler = async (ctx) => {
  const [idText, answer] = ctx.event.value.split(':') as [string, Answer];
  const matchGroupId = Number(idText);
  const [g] = isRowId(matchGroupId)
    ? await ctx.deps.db.select().from(schema.matchGroups).where(eq(schema.matchGroups.id, matchGroupId))
    : [];
  if (!g?.memberIds.includes(ctx.member.id) || !ANSWERS.includes(answer)) {
    await ctx.event.reply(textMessage('That question is not for you, so nothing was recorded.'), {
      private: true,
    });
    return;
  }
  await ctx.deps.db
    .insert(schema.matchFollowUps)
    .values({ matchGroupId, memberId: ctx.member.id, answer, answeredAt: ctx.deps.clock.now() })
    .onConflictDoUpdate({
      target: [schema.matchFollowUps.matchGroupId, schema.matchFollowUps.memberId],
      set: { answer, answeredAt: ctx.deps.clock.now() },
    });
  await ctx.event.reply(textMessage(THANKS[answer]), { private: true });
};
