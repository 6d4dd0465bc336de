/**
 * Who was at a meeting. The day after, those who said they were going are asked (two buttons);
 * a coordinator then confirms. Confirmed attendance is what involvement records count.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal, textMessage, textWithButtons } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { ActionContext, FeatureJob } from '../features.js';
import { isCoordinator } from '../groups/roles.js';
import { enqueueMessage } from '../jobs/index.js';
import { listOf, mention, plural } from '../text.js';
import { meetingForClick } from './actions.js';
import { meetingTitle, whenIn } from './render.js';
import { dmTo, findMeeting, type MeetingRow, peopleGoing } from './store.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'meeting.attendance-ask': { readonly meetingId: number; readonly startsAt: string };
  }
}

export const ATTENDED_ACTION = 'meeting.attended';
export const CONFIRM_ACTION = 'meeting.confirm-attendance';
const { meetingAttendance: attendance } = schema;

export const askAttendance: FeatureJob<'meeting.attendance-ask'> = {
  // Asking weeks later helps nobody remember: the job's expiry is a fortnight after the meeting.
  policy: 'drop-if-past',
  async run(ctx) {
    const [found] = await ctx.tx
      .select({ meeting: schema.meetings, group: schema.groups })
      .from(schema.meetings)
      .innerJoin(schema.groups, eq(schema.groups.id, schema.meetings.groupId))
      .where(eq(schema.meetings.id, ctx.payload.meetingId));
    if (found?.meeting.status !== 'scheduled') return;
    if (found.meeting.startsAt.toISOString() !== ctx.payload.startsAt) return;
    const { meeting, group } = found;
    for (const person of await peopleGoing(ctx.tx, meeting.id)) {
      const text = `Were you at ${meetingTitle(meeting)} (${whenIn(meeting, group.timezone)})? Your answer keeps the group's record of who took part, which counts towards involvement and any payment offered.`;
      await enqueueMessage(ctx.tx, ctx.now, {
        purpose: `meeting.attendance-ask:${meeting.id}`,
        platform: group.platform,
        destination: dmTo(person),
        message: textWithButtons(text, [
          {
            actionId: ATTENDED_ACTION,
            label: 'I was there',
            value: `${meeting.code}:attended`,
            style: 'primary',
          },
          { actionId: ATTENDED_ACTION, label: "I couldn't make it", value: `${meeting.code}:absent` },
        ]),
        groupId: group.id,
      });
    }
  },
  describe: () => 'ask the people who were going whether they were at a meeting',
};

async function sayAttended(ctx: ActionContext): Promise<void> {
  const [, code = '', raw = ''] = /^([^:]*):([^:]*)$/.exec(ctx.event.value) ?? [];
  const { meeting } = await meetingForClick(ctx, code);
  const status = raw === 'attended' || raw === 'absent' ? raw : undefined;
  if (!status)
    throw new UserError('unknown_answer', 'That answer is not one copro knows. Nothing was recorded.');
  const now = ctx.deps.clock.now();
  if (meeting.status !== 'scheduled' || meeting.startsAt > now)
    throw new UserError(
      'not_yet',
      `Meeting ${meeting.code} has not taken place, so there is nothing to record.`,
    );
  await ctx.deps.db
    .insert(attendance)
    .values({ meetingId: meeting.id, memberId: ctx.member.id, status, updatedAt: now })
    .onConflictDoUpdate({
      target: [attendance.meetingId, attendance.memberId],
      // A changed answer needs confirming again.
      set: { status, updatedAt: now, confirmedAt: null, confirmedBy: null },
    });
  await ctx.event.reply(
    textMessage(
      status === 'attended'
        ? `Thank you. copro has noted that you were at "${literal(meeting.title)}"; a coordinator will confirm it.`
        : `Thank you for letting us know. Missing a meeting is fine; the notes are shared in the channel.`,
    ),
    { private: true },
  );
}

async function attendanceList(meeting: MeetingRow, db: ActionContext['deps']['db']) {
  const rows = await db
    .select({ row: attendance, member: schema.members })
    .from(attendance)
    .innerJoin(schema.members, eq(schema.members.id, attendance.memberId))
    .where(eq(attendance.meetingId, meeting.id));
  const there = rows.filter((r) => r.row.status === 'attended');
  return {
    confirmed: there.filter((r) => r.row.confirmedAt).map((r) => mention(r.member)),
    waiting: there.filter((r) => !r.row.confirmedAt).map((r) => mention(r.member)),
    away: rows.filter((r) => r.row.status === 'absent').map((r) => mention(r.member)),
  };
}

export async function showAttendance(ctx: ContextOf<'meeting.attendance'>): Promise<Reply> {
  const meeting = await findMeeting(ctx.deps.db, ctx.group, ctx.args.meeting);
  if (meeting.status === 'cancelled')
    return privately(`Meeting ${meeting.code} was cancelled, so nobody was there to count.`);
  if (meeting.startsAt > ctx.deps.clock.now())
    return privately(
      `Meeting ${meeting.code} has not happened yet. The day after it, everyone who said they were going is asked whether they were there; their answers appear here for you to confirm.`,
    );
  const { confirmed, waiting, away } = await attendanceList(meeting, ctx.deps.db);
  const lines = [
    `Attendance at ${meetingTitle(meeting)}:`,
    `- Confirmed: ${confirmed.length > 0 ? listOf(confirmed) : 'nobody yet'}`,
    `- Say they were there, not yet confirmed: ${waiting.length > 0 ? listOf(waiting) : 'nobody'}`,
    `- Say they could not come: ${away.length > 0 ? listOf(away) : 'nobody'}`,
  ];
  const text = lines.join('\n');
  if (waiting.length === 0) return privately(text);
  return {
    message: textWithButtons(text, [
      {
        actionId: CONFIRM_ACTION,
        label: `Confirm ${plural(waiting.length, 'person', 'people')}`,
        value: meeting.code,
      },
    ]),
  };
}

async function confirmAttendance(ctx: ActionContext): Promise<void> {
  const { meeting, group } = await meetingForClick(ctx, ctx.event.value);
  if (!(await isCoordinator(ctx.deps.db, group.id, ctx.member.id)))
    throw new UserError(
      'coordinators_only',
      'Only coordinators can confirm attendance. Nothing was recorded.',
    );
  const now = ctx.deps.clock.now();
  const confirmed = await ctx.deps.db
    .update(attendance)
    .set({ confirmedAt: now, confirmedBy: ctx.member.id })
    .where(
      and(
        eq(attendance.meetingId, meeting.id),
        eq(attendance.status, 'attended'),
        isNull(attendance.confirmedAt),
      ),
    )
    .returning({ memberId: attendance.memberId });
  await ctx.event.reply(
    textMessage(`Confirmed: ${plural(confirmed.length, 'person', 'people')} at ${meeting.code}. Thank you.`),
    { private: true },
  );
}

export const attendanceActions = {
  [ATTENDED_ACTION]: sayAttended,
  [CONFIRM_ACTION]: confirmAttendance,
} as const;
