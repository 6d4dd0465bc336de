/**
 * What meetings hold about a person: meetings they planned, agenda items they raised or were to
 * speak to, their answers (going or not), and whether they turned meeting reminders off.
 * Erasing keeps the meetings and items (they are the group's), without saying who planned or
 * raised them, and removes the person's answers.
 */
import { eq, or } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { groupNames } from '../groups/personal-data.js';
import type { PersonalData } from '../privacy/declaration.js';

const {
  meetings,
  agendaItems,
  meetingRsvps,
  meetingReminderOptOuts: optOuts,
  meetingAttendance,
  meetingOutcomes,
} = schema;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const meetingsPersonalData: PersonalData = {
  refersToPerson: [
    'meetings.created_by',
    'agenda_items.raised_by',
    'agenda_items.speaker_id',
    'meeting_rsvps.member_id',
    'meeting_reminder_opt_outs.member_id',
    'meeting_attendance.member_id',
    'meeting_attendance.confirmed_by',
    'meeting_outcomes.recorded_by',
  ],
  holdsNoPerson: ['meetings.access', 'meetings.papers'],
  async export({ db, member }) {
    const planned = await db.select().from(meetings).where(eq(meetings.createdBy, member.id));
    const items = await db
      .select({ item: agendaItems, meeting: meetings })
      .from(agendaItems)
      .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
      .where(or(eq(agendaItems.raisedBy, member.id), eq(agendaItems.speakerId, member.id)));
    const answers = await db
      .select({ rsvp: meetingRsvps, meeting: meetings })
      .from(meetingRsvps)
      .innerJoin(meetings, eq(meetings.id, meetingRsvps.meetingId))
      .where(eq(meetingRsvps.memberId, member.id));
    const off = await db.select().from(optOuts).where(eq(optOuts.memberId, member.id));
    const attended = await db
      .select({ row: meetingAttendance, meeting: meetings })
      .from(meetingAttendance)
      .innerJoin(meetings, eq(meetings.id, meetingAttendance.meetingId))
      .where(or(eq(meetingAttendance.memberId, member.id), eq(meetingAttendance.confirmedBy, member.id)));
    const recorded = await db
      .select({ row: meetingOutcomes, meeting: meetings })
      .from(meetingOutcomes)
      .innerJoin(meetings, eq(meetings.id, meetingOutcomes.meetingId))
      .where(eq(meetingOutcomes.recordedBy, member.id));
    const names = await groupNames(db, [
      ...planned.map((m) => m.groupId),
      ...items.map((i) => i.meeting.groupId),
      ...answers.map((a) => a.meeting.groupId),
      ...off.map((o) => o.groupId),
      ...attended.map((a) => a.meeting.groupId),
      ...recorded.map((r) => r.meeting.groupId),
    ]);
    return [
      {
        table: 'meetings',
        title: 'Meetings you planned',
        rows: planned.map((m) => ({
          group: names.get(m.groupId),
          meeting: m.code,
          title: m.title,
          startsAt: iso(m.startsAt),
          planned: iso(m.createdAt),
        })),
      },
      {
        table: 'agenda_items',
        title: 'Agenda items you raised or were to speak to',
        rows: items.map(({ item, meeting }) => ({
          group: names.get(meeting.groupId),
          meeting: meeting.code,
          item: item.title,
          note: item.note,
          raisedByYou: item.raisedBy === member.id,
          speaker: item.speakerId === member.id,
          added: iso(item.createdAt),
        })),
      },
      {
        table: 'meeting_rsvps',
        title: 'Your answers to meetings',
        rows: answers.map(({ rsvp, meeting }) => ({
          group: names.get(meeting.groupId),
          meeting: meeting.code,
          title: meeting.title,
          answer: rsvp.status,
          answeredAt: iso(rsvp.updatedAt),
        })),
      },
      {
        table: 'meeting_reminder_opt_outs',
        title: 'Meeting reminders you turned off',
        rows: off.map((o) => ({ group: names.get(o.groupId), since: iso(o.createdAt) })),
      },
      {
        table: 'meeting_attendance',
        title: 'Meetings you were at, or whose attendance you confirmed',
        rows: attended.map(({ row, meeting }) => ({
          group: names.get(meeting.groupId),
          meeting: meeting.code,
          title: meeting.title,
          yours: row.memberId === member.id,
          answer: row.status,
          confirmed: iso(row.confirmedAt),
          confirmedByYou: row.confirmedBy === member.id,
        })),
      },
      {
        table: 'meeting_outcomes',
        title: 'Meeting notes you recorded',
        rows: recorded.map(({ row, meeting }) => ({
          group: names.get(meeting.groupId),
          meeting: meeting.code,
          kind: row.kind,
          text: row.text,
          recorded: iso(row.recordedAt),
        })),
      },
    ];
  },
  async erase({ tx, member }) {
    await tx.update(meetings).set({ createdBy: null }).where(eq(meetings.createdBy, member.id));
    await tx.update(agendaItems).set({ raisedBy: null }).where(eq(agendaItems.raisedBy, member.id));
    await tx.update(agendaItems).set({ speakerId: null }).where(eq(agendaItems.speakerId, member.id));
    await tx.delete(meetingRsvps).where(eq(meetingRsvps.memberId, member.id));
    await tx.delete(optOuts).where(eq(optOuts.memberId, member.id));
    await tx.delete(meetingAttendance).where(eq(meetingAttendance.memberId, member.id));
    await tx
      .update(meetingAttendance)
      .set({ confirmedBy: null })
      .where(eq(meetingAttendance.confirmedBy, member.id));
    await tx
      .update(meetingOutcomes)
      .set({ recordedBy: null })
      .where(eq(meetingOutcomes.recordedBy, member.id));
  },
  forgetting: {
    goes: 'your answers to meetings (going or not, and whether you were there) and your meeting reminder choice',
    stays: 'agenda items you raised and meetings you planned stay, without your name',
  },
};
