/**
 * `/copro meeting edit`: a form with the meeting as it is. A change of time reschedules the
 * reminders; a change people should know about (time or place) reaches everyone going.
 */
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { schema } from '../../db/client.js';
import type { MeetingAccess } from '../../db/schema/meetings.js';
import { type Form, lengthErrors, literal, textMessage } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { parseDurationMinutes } from '../commands/values.js';
import type { FormContext } from '../features.js';
import { audit } from '../groups/audit.js';
import { enqueueMessage } from '../jobs/index.js';
import { calendarFile } from './ics.js';
import { meetingForCoordinator } from './lookup.js';
import { readMeetingWhen } from './monthly.js';
import { meetingTitle, whenFor } from './render.js';
import {
  cancelMeetingJobs,
  dmTo,
  findMeeting,
  type MeetingRow,
  mustBeUpcoming,
  peopleGoing,
  postAheadDays,
  refreshMeetingPost,
  scheduleMeetingJobs,
} from './store.js';
import { memberZone } from './zones.js';

export const EDIT_FORM = 'meeting.edit';
const LIMITS = { title: 100, when: 60, length: 10, where: 300, papersBy: 100 } as const;
const ACCESS = [
  { id: 'stepFree', label: 'Is the venue step-free?' },
  { id: 'captions', label: 'Captions for anyone joining online?' },
  { id: 'breaks', label: 'Will there be breaks?' },
] as const;
const CHOICES = [
  { label: 'Yes', value: 'yes' },
  { label: 'No', value: 'no' },
  { label: 'Not said', value: 'unknown' },
];

const asChoice = (v: boolean | undefined) => (v === undefined ? 'unknown' : v ? 'yes' : 'no');

function editForm(meeting: MeetingRow, zone: string): Form {
  const start = DateTime.fromJSDate(meeting.startsAt, { zone }).setLocale('en-GB');
  return {
    id: EDIT_FORM,
    title: `Change ${meeting.code}`,
    submitLabel: 'Save',
    state: meeting.code,
    fields: [
      {
        kind: 'short',
        id: 'title',
        label: 'Title',
        required: true,
        initial: meeting.title,
        maxLength: LIMITS.title,
      },
      {
        kind: 'short',
        id: 'when',
        label: `When (${zone} time)`,
        required: true,
        initial: start.toFormat('d LLLL yyyy HH:mm'),
        maxLength: LIMITS.when,
      },
      {
        kind: 'short',
        id: 'length',
        label: 'How long, e.g. 90m or 2h',
        required: true,
        initial: `${meeting.lengthMinutes}m`,
        maxLength: LIMITS.length,
      },
      {
        kind: 'short',
        id: 'where',
        label: 'Where, or the video link',
        initial: meeting.location ?? '',
        maxLength: LIMITS.where,
      },
      ...ACCESS.map((a) => ({
        kind: 'select' as const,
        id: a.id,
        label: a.label,
        options: CHOICES,
        initial: [asChoice(meeting.access[a.id])],
      })),
      {
        kind: 'short',
        id: 'papersBy',
        label: 'When will papers follow?',
        hint: 'For example "by Friday 4 December". Leave empty if there are none.',
        initial: meeting.access.papersBy ?? '',
        maxLength: LIMITS.papersBy,
      },
    ],
  };
}

export async function openEditForm(ctx: ContextOf<'meeting.edit'>): Promise<Reply> {
  const meeting = await findMeeting(ctx.deps.db, ctx.group, ctx.args.meeting);
  mustBeUpcoming(meeting, ctx.deps.clock.now(), 'change it');
  await ctx.event.openForm(editForm(meeting, ctx.group.timezone));
  return privately(`The form to change ${meeting.code} is open.`);
}

const one = (v: string | readonly string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();

/** Saves the form: each answer is checked, and nothing changes until all are right. */
export async function saveEdit(ctx: FormContext): Promise<Readonly<Record<string, string>> | undefined> {
  const { deps, event } = ctx;
  const { meeting, group } = await meetingForCoordinator(ctx, 'change a meeting', 'Nothing was changed.');
  const now = deps.clock.now();
  mustBeUpcoming(meeting, now, 'change it');

  const errors: Record<string, string> = { ...lengthErrors(LIMITS, event.values) };
  const title = one(event.values.title);
  if (!title) errors.title = 'Please give the meeting a title.';
  let startsAt = meeting.startsAt;
  const typedWhen = one(event.values.when);
  const before = DateTime.fromJSDate(meeting.startsAt, { zone: group.timezone }).setLocale('en-GB');
  if (typedWhen !== before.toFormat('d LLLL yyyy HH:mm')) {
    const read = readMeetingWhen(typedWhen, now, group.timezone, { month: meeting.startsAt });
    if (read.ok) startsAt = read.at;
    else errors.when = read.question;
  }
  const typedLength = parseDurationMinutes(one(event.values.length));
  if (typedLength === undefined || typedLength < 5 || typedLength > 12 * 60)
    errors.length = 'Please give a length from 5 minutes to 12 hours, such as 90m or 2h.';
  if (Object.keys(errors).length > 0) return errors;
  const lengthMinutes = typedLength ?? meeting.lengthMinutes;

  const access: MeetingAccess = {
    ...Object.fromEntries(
      ACCESS.flatMap((a) => {
        const v = one(event.values[a.id]);
        return v === 'yes' ? [[a.id, true]] : v === 'no' ? [[a.id, false]] : [];
      }),
    ),
    ...(one(event.values.papersBy) ? { papersBy: one(event.values.papersBy) } : {}),
  };
  const location = one(event.values.where) || null;
  const moved = startsAt.getTime() !== meeting.startsAt.getTime() || lengthMinutes !== meeting.lengthMinutes;
  const relocated = location !== meeting.location;
  const told = await deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(schema.meetings)
      .set({ title, startsAt, lengthMinutes, location, access, sequence: meeting.sequence + 1 })
      .where(eq(schema.meetings.id, meeting.id))
      .returning();
    if (!changed) return 0;
    if (moved) {
      await cancelMeetingJobs(tx, meeting, now);
      await scheduleMeetingJobs(tx, group, changed, now, await postAheadDays(tx, group.id));
    }
    await refreshMeetingPost(tx, group, changed, now);
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'meeting.edit',
      details: { meeting: meeting.code, moved, relocated },
      at: now,
    });
    if (!moved && !relocated) return 0;
    const people = await peopleGoing(tx, meeting.id, ['going', 'maybe']);
    for (const person of people) {
      const zone = await memberZone(tx, group.id, person);
      const where = changed.location ? ` Where: ${literal(changed.location)}.` : '';
      const text = `${meetingTitle(changed)} has changed. It is now ${whenFor(changed, group.timezone, zone)}.${where} If you can no longer come, you can change your answer with /copro meetings.`;
      await enqueueMessage(tx, now, {
        purpose: `meeting.changed:${meeting.id}:${changed.sequence}`,
        platform: group.platform,
        destination: dmTo(person),
        message: { text, blocks: [{ type: 'text', text }], files: [calendarFile([changed], group)] },
        groupId: group.id,
      });
    }
    return people.length;
  });
  await deps.outbox?.flush();
  const zone = await memberZone(deps.db, group.id, ctx.member);
  const saved = `Saved. ${meetingTitle({ code: meeting.code, title })} is ${whenFor({ startsAt, lengthMinutes }, group.timezone, zone)}.`;
  await event.reply(
    textMessage(
      told > 0
        ? `${saved} copro told the ${told === 1 ? 'person' : `${told} people`} going or who might go.`
        : saved,
    ),
  );
  return undefined;
}
