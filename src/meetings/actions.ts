/**
 * Buttons on meeting messages. A meeting code travels in every button's value, and anyone can
 * send any value, so nothing in it is trusted: the click must come from the meeting's workspace,
 * from a member of its group. An answer only ever changes the clicker's own answer.
 */
import { and, eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal, textMessage, textWithButtons } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { ActionContext } from '../features.js';
import { ASK_TO_JOIN, isGroupMember } from '../groups/membership.js';
import type { GroupRow } from '../groups/types.js';
import { calendarFile } from './ics.js';
import { meetingHere } from './lookup.js';
import { whenFor } from './render.js';
import { type MeetingRow, mustBeUpcoming, type Rsvp, refreshMeetingPost } from './store.js';
import { memberZone } from './zones.js';

const NOTHING = 'Nothing was recorded.';
const ANSWERS: readonly Rsvp[] = ['going', 'not-going', 'maybe'];

/** The meeting a click names, once the clicker may act on it. */
export async function meetingForClick(
  ctx: Pick<ActionContext, 'deps' | 'actor' | 'member'>,
  code: string,
): Promise<{ meeting: MeetingRow; group: GroupRow }> {
  const found = await meetingHere(ctx.deps.db, ctx.actor, code, NOTHING);
  if (!(await isGroupMember(ctx.deps, found.group, ctx.member, ctx.actor)))
    throw new UserError(
      'not_a_member',
      `Only members of ${literal(found.group.name)} can answer for its meetings, and copro does not have you as one. Members are the people in the group's channel, <#${found.group.homeChannelId}>. ${NOTHING} ${ASK_TO_JOIN}`,
    );
  return found;
}

function thanks(answer: Rsvp, meeting: MeetingRow, when: string): string {
  const title = `"${literal(meeting.title)}"`;
  switch (answer) {
    case 'going':
      return `Thank you. You are going to ${title} on ${when}. copro will remind you a day before and an hour before.`;
    case 'maybe':
      return `Thank you: you might come to ${title}, ${when}. You can change your answer at any time.`;
    case 'not-going':
      return `Thank you for letting us know you can't make ${title}. The notes will be shared in the channel afterwards.`;
  }
}

async function rsvp(ctx: ActionContext): Promise<void> {
  const [, code = '', raw = ''] = /^([^:]*):([^:]*)$/.exec(ctx.event.value) ?? [];
  const answer = ANSWERS.find((a) => a === raw);
  const { meeting, group } = await meetingForClick(ctx, code);
  if (!answer) throw new UserError('unknown_answer', `That answer is not one copro knows. ${NOTHING}`);
  const now = ctx.deps.clock.now();
  mustBeUpcoming(meeting, now, 'answer for it any more');
  await ctx.deps.db.transaction(async (tx) => {
    // Answers to one meeting take turns, so the post always shows every answer committed.
    const [locked] = await tx
      .select()
      .from(schema.meetings)
      .where(eq(schema.meetings.id, meeting.id))
      .for('no key update');
    if (locked?.status !== 'scheduled')
      throw new UserError('meeting_cancelled', `Meeting ${meeting.code} was cancelled. ${NOTHING}`);
    await tx
      .insert(schema.meetingRsvps)
      .values({ meetingId: meeting.id, memberId: ctx.member.id, status: answer, updatedAt: now })
      .onConflictDoUpdate({
        target: [schema.meetingRsvps.meetingId, schema.meetingRsvps.memberId],
        set: { status: answer, updatedAt: now },
      });
    await refreshMeetingPost(tx, group, locked, now);
  });
  await ctx.deps.outbox?.flush();
  const zone = await memberZone(ctx.deps.db, group.id, ctx.member);
  const message = textMessage(thanks(answer, meeting, whenFor(meeting, group.timezone, zone)));
  // Those coming get the calendar entry with their thanks.
  const files = answer === 'not-going' ? [] : [calendarFile([meeting], group)];
  await ctx.event.reply(files.length > 0 ? { ...message, files } : message, { private: true });
}

async function groupForClick(ctx: ActionContext): Promise<GroupRow> {
  const id = /^[1-9][0-9]{0,9}$/.test(ctx.event.value) ? Number(ctx.event.value) : undefined;
  const [group] = id ? await ctx.deps.db.select().from(schema.groups).where(eq(schema.groups.id, id)) : [];
  if (!group || group.platform !== ctx.actor.platform || group.workspaceId !== ctx.actor.workspaceId)
    throw new UserError('unknown_group', `That button belongs to a group copro does not know. ${NOTHING}`);
  return group;
}

export const REMINDERS_OFF_ACTION = 'meeting.reminders-off';

async function remindersOff(ctx: ActionContext): Promise<void> {
  const group = await groupForClick(ctx);
  await ctx.deps.db
    .insert(schema.meetingReminderOptOuts)
    .values({ groupId: group.id, memberId: ctx.member.id })
    .onConflictDoNothing();
  const text =
    'Done: you will not get meeting reminders from this group any more. Meetings still appear in the channel and the weekly digest.';
  await ctx.event.reply(
    textWithButtons(text, [
      { actionId: 'meeting.reminders-on', label: 'Turn meeting reminders back on', value: String(group.id) },
    ]),
    { private: true },
  );
}

async function remindersOn(ctx: ActionContext): Promise<void> {
  const group = await groupForClick(ctx);
  await ctx.deps.db
    .delete(schema.meetingReminderOptOuts)
    .where(
      and(
        eq(schema.meetingReminderOptOuts.groupId, group.id),
        eq(schema.meetingReminderOptOuts.memberId, ctx.member.id),
      ),
    );
  await ctx.event.reply(textMessage('Done: meeting reminders are back on.'), { private: true });
}

export const meetingActions = {
  'meeting.rsvp': rsvp,
  [REMINDERS_OFF_ACTION]: remindersOff,
  'meeting.reminders-on': remindersOn,
} as const;
