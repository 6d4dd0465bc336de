/**
 * The meeting's background work: its agenda posted ahead, and reminders to those going. Both
 * are durable jobs (they survive restarts) whose messages go through the outbox, each with its
 * own purpose, so a job run twice still sends each message once.
 */
import { and, eq, isNull, notInArray } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { FeatureJob } from '../features.js';
import { enqueueMessage, notifyCoordinators } from '../jobs/index.js';
import { accessNeedsSummary, PAPERS_EARLY } from '../onboarding/needs-summary.js';
import { plural } from '../text.js';
import { REMINDERS_OFF_ACTION } from './actions.js';
import { accessLines, meetingTitle, whenFor } from './render.js';
import { dmTo, type MeetingRow, peopleGoing, postMeeting, type ReminderLead } from './store.js';
import { memberZone } from './zones.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'meeting.agenda-post': { readonly meetingId: number };
    'meeting.remind': {
      readonly meetingId: number;
      readonly before: ReminderLead;
      readonly startsAt: string;
    };
  }
}

async function meetingWithGroup(tx: Tx, meetingId: number) {
  const [found] = await tx
    .select({ meeting: schema.meetings, group: schema.groups })
    .from(schema.meetings)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.meetings.groupId))
    .where(eq(schema.meetings.id, meetingId));
  return found;
}

const LEAD_WORDS: Record<ReminderLead, string> = { '24h': 'tomorrow', '1h': 'in an hour' };

function reminderMessage(
  groupId: number,
  groupName: string,
  meeting: MeetingRow,
  when: string,
  lead: ReminderLead,
): Message {
  const where = meeting.location ? ` Where: ${literal(meeting.location)}.` : '';
  const text = `A reminder from ${literal(groupName)}: ${meetingTitle(meeting)} is ${LEAD_WORDS[lead]}, ${when}.${where}`;
  const access = accessLines(meeting).join(' ');
  return {
    text: `${text} ${access}`,
    blocks: [
      { type: 'text', text },
      { type: 'context', text: access },
      {
        type: 'context',
        text: `If you can no longer come, that is fine: see /copro meetings to change your answer.`,
      },
      {
        type: 'buttons',
        buttons: [
          { actionId: REMINDERS_OFF_ACTION, label: 'Turn off meeting reminders', value: String(groupId) },
        ],
      },
    ],
  };
}

export const meetingJobs = {
  'meeting.agenda-post': {
    // An agenda posted after the meeting began helps nobody: its expiry is the meeting's start.
    policy: 'drop-if-past',
    async run(ctx) {
      const found = await meetingWithGroup(ctx.tx, ctx.payload.meetingId);
      if (found?.meeting.status !== 'scheduled' || found.meeting.agendaPostedAt) return;
      if (found.meeting.startsAt <= ctx.now) return;
      await postMeeting(ctx.tx, found.group, found.meeting, ctx.now);
      if (found.meeting.papers.length > 0) return;
      const needs = await accessNeedsSummary(ctx.tx, ctx.deps.encryptionKey, found.group.id);
      const early = needs?.counts.get(PAPERS_EARLY) ?? 0;
      if (early === 0) return;
      const text = `The agenda of ${meetingTitle(found.meeting)} is posted, but it has no papers yet, and ${plural(early, 'member')} asked for papers a week ahead. Add them with /copro meeting papers ${found.meeting.code} "link", or say when they will follow with /copro meeting edit ${found.meeting.code}.`;
      await notifyCoordinators(ctx.tx, ctx.now, found.group.id, `meeting.papers-due:${found.meeting.id}`, {
        text,
        blocks: [{ type: 'text', text }],
      });
    },
    describe: () => "post a meeting's agenda in the channel",
  } satisfies FeatureJob<'meeting.agenda-post'>,
  'meeting.remind': {
    // A reminder for a meeting already under way is dropped (its expiry is the start).
    policy: 'drop-if-past',
    async run(ctx) {
      const found = await meetingWithGroup(ctx.tx, ctx.payload.meetingId);
      if (!found) return;
      const { meeting, group } = found;
      // A moved meeting has new reminders of its own; this one was for the old time.
      if (meeting.status !== 'scheduled' || meeting.startsAt.toISOString() !== ctx.payload.startsAt) return;
      if (meeting.startsAt <= ctx.now) return;
      const optedOut = ctx.tx
        .select({ id: schema.meetingReminderOptOuts.memberId })
        .from(schema.meetingReminderOptOuts)
        .where(eq(schema.meetingReminderOptOuts.groupId, group.id));
      const stillIn = await ctx.tx
        .select({ id: schema.groupMembers.memberId })
        .from(schema.groupMembers)
        .where(
          and(
            eq(schema.groupMembers.groupId, group.id),
            isNull(schema.groupMembers.leftAt),
            notInArray(schema.groupMembers.memberId, optedOut),
          ),
        );
      const wanted = new Set(stillIn.map((r) => r.id));
      let queued = 0;
      for (const person of await peopleGoing(ctx.tx, meeting.id)) {
        if (!wanted.has(person.id)) continue;
        const zone = await memberZone(ctx.tx, group.id, person);
        const sent = await enqueueMessage(ctx.tx, ctx.now, {
          purpose: `meeting.remind:${meeting.id}:${ctx.payload.before}:${ctx.payload.startsAt}`,
          platform: group.platform,
          destination: dmTo(person),
          message: reminderMessage(
            group.id,
            group.name,
            meeting,
            whenFor(meeting, group.timezone, zone),
            ctx.payload.before,
          ),
          groupId: group.id,
        });
        if (sent) queued++;
      }
      ctx.logger.info(
        { meetingId: meeting.id, before: ctx.payload.before, queued },
        'meeting reminders queued',
      );
    },
    describe: () => 'remind the people going to a meeting',
  } satisfies FeatureJob<'meeting.remind'>,
};
