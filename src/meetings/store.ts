import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Destination } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { cancelJobs, scheduleJob, upsertMessage } from '../jobs/index.js';
import { looksLikeCode, meetingCode, normaliseCode } from './codes.js';
import { agendaPostMessage } from './render.js';

export type MeetingRow = typeof schema.meetings.$inferSelect;
export type AgendaItemRow = typeof schema.agendaItems.$inferSelect;
export type Rsvp = 'going' | 'not-going' | 'maybe';

const { meetings, meetingRsvps, agendaItems, meetingSettings } = schema;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
export const DEFAULT_POST_AHEAD_DAYS = 7;

/** The reminders before a meeting: how long before, and how each is named in job keys. */
export const REMINDERS = [
  { before: '24h', ms: DAY_MS },
  { before: '1h', ms: HOUR_MS },
] as const;
export type ReminderLead = (typeof REMINDERS)[number]['before'];

export const postPurpose = (meeting: Pick<MeetingRow, 'id'>) => `meeting:${meeting.id}`;
/** Every pending job of a meeting shares this series, so a change or a cancel stops them all. */
const jobSeries = (meeting: Pick<MeetingRow, 'id'>) => `meeting:${meeting.id}`;

export const homeChannel = (group: GroupRow): Destination => ({
  kind: 'channel',
  channelId: group.homeChannelId,
  workspaceId: group.workspaceId,
});

export const dmTo = (member: Pick<MemberRow, 'userId' | 'workspaceId'>): Destination => ({
  kind: 'dm',
  userId: member.userId,
  workspaceId: member.workspaceId,
});

export interface NewMeeting {
  readonly group: GroupRow;
  readonly creator: MemberRow;
  readonly title: string;
  /** One start per occurrence; more than one makes a series. */
  readonly starts: readonly Date[];
  readonly lengthMinutes: number;
  readonly location?: string;
  readonly now: Date;
}

export async function postAheadDays(db: Db | Tx, groupId: number): Promise<number> {
  const [row] = await db.select().from(meetingSettings).where(eq(meetingSettings.groupId, groupId));
  return row?.postAheadDays ?? DEFAULT_POST_AHEAD_DAYS;
}

/**
 * Plan a meeting (or each occurrence of a recurring one) with its jobs in one transaction, so a
 * meeting never exists without its agenda post and reminders. Items deferred from an earlier
 * meeting join the first one's agenda.
 */
export async function createMeetings(db: Db, input: NewMeeting): Promise<MeetingRow[]> {
  return db.transaction(async (tx) => {
    const created: MeetingRow[] = [];
    const ahead = await postAheadDays(tx, input.group.id);
    for (const startsAt of input.starts) {
      let meeting: MeetingRow | undefined;
      for (let attempt = 0; !meeting && attempt < 8; attempt++) {
        [meeting] = await tx
          .insert(meetings)
          .values({
            code: meetingCode(attempt < 4 ? 3 : 4),
            groupId: input.group.id,
            seriesId: created[0]?.id ?? null,
            title: input.title,
            startsAt,
            lengthMinutes: input.lengthMinutes,
            location: input.location ?? null,
            createdBy: input.creator.id,
            createdAt: input.now,
          })
          .onConflictDoNothing({ target: meetings.code })
          .returning();
      }
      if (!meeting) throw new Error('could not find a free meeting code');
      if (created.length === 0) await carryOverDeferred(tx, input.group.id, meeting);
      created.push(await scheduleMeetingJobs(tx, input.group, meeting, input.now, ahead));
    }
    const [first] = created;
    if (first && created.length > 1) {
      await tx.update(meetings).set({ seriesId: first.id }).where(eq(meetings.id, first.id));
      created[0] = { ...first, seriesId: first.id };
    }
    return created;
  });
}

/**
 * The agenda post (a week ahead, or now if that has passed) and the two reminders. Returns the
 * meeting as it is now (posted, when it was posted now).
 */
export async function scheduleMeetingJobs(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  now: Date,
  aheadDays: number,
): Promise<MeetingRow> {
  const stamp = meeting.startsAt.toISOString();
  const base = { groupId: group.id, series: jobSeries(meeting), expiresAt: meeting.startsAt };
  let current = meeting;
  const postAt = new Date(meeting.startsAt.getTime() - aheadDays * DAY_MS);
  if (!meeting.agendaPostedAt && postAt <= now) current = await postMeeting(tx, group, meeting, now);
  else if (!meeting.agendaPostedAt) {
    await scheduleJob(tx, {
      ...base,
      kind: 'meeting.agenda-post',
      key: `meeting.agenda-post:${meeting.id}:${stamp}`,
      runAt: postAt,
      payload: { meetingId: meeting.id },
    });
  }
  for (const { before, ms } of REMINDERS) {
    const runAt = new Date(meeting.startsAt.getTime() - ms);
    if (runAt <= now) continue;
    await scheduleJob(tx, {
      ...base,
      kind: 'meeting.remind',
      key: `meeting.remind:${meeting.id}:${before}:${stamp}`,
      runAt,
      payload: { meetingId: meeting.id, before, startsAt: stamp },
    });
  }
  // The day after, those who were going are asked whether they came.
  await scheduleJob(tx, {
    ...base,
    kind: 'meeting.attendance-ask',
    key: `meeting.attendance-ask:${meeting.id}:${stamp}`,
    runAt: new Date(meeting.startsAt.getTime() + DAY_MS),
    expiresAt: new Date(meeting.startsAt.getTime() + 14 * DAY_MS),
    payload: { meetingId: meeting.id, startsAt: stamp },
  });
  return current;
}

export async function cancelMeetingJobs(tx: Tx, meeting: MeetingRow, now: Date): Promise<void> {
  await cancelJobs(tx, now, { series: jobSeries(meeting) });
}

/** Items put off at an earlier meeting of the group, waiting for the next one. */
async function carryOverDeferred(tx: Tx, groupId: number, to: MeetingRow): Promise<void> {
  const waiting = await tx
    .select({ id: agendaItems.id })
    .from(agendaItems)
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(and(eq(meetings.groupId, groupId), eq(agendaItems.status, 'deferred')))
    .orderBy(asc(agendaItems.createdAt), asc(agendaItems.id));
  let position = await nextPosition(tx, to.id);
  for (const item of waiting) {
    await tx
      .update(agendaItems)
      .set({ meetingId: to.id, status: 'open', position: position++ })
      .where(eq(agendaItems.id, item.id));
  }
}

export async function nextPosition(db: Db | Tx, meetingId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(agendaItems)
    .where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.status, 'open')));
  return (row?.n ?? 0) + 1;
}

export async function findMeeting(db: Db | Tx, group: GroupRow, rawCode: string): Promise<MeetingRow> {
  const code = normaliseCode(rawCode);
  const [meeting] = looksLikeCode(code)
    ? await db
        .select()
        .from(meetings)
        .where(and(eq(meetings.groupId, group.id), eq(meetings.code, code)))
    : [];
  if (!meeting)
    throw new UserError(
      'unknown_meeting',
      `There is no meeting ${code.slice(0, 12)} in this group. Type /copro meetings to see the meetings coming up and their ids.`,
    );
  return meeting;
}

/** A meeting by its code, from any group: a button's value, checked by the caller. */
export async function meetingByCode(
  db: Db | Tx,
  rawCode: string,
): Promise<{ meeting: MeetingRow; group: GroupRow } | undefined> {
  const code = normaliseCode(rawCode);
  if (!looksLikeCode(code)) return undefined;
  const [found] = await db
    .select({ meeting: meetings, group: schema.groups })
    .from(meetings)
    .innerJoin(schema.groups, eq(schema.groups.id, meetings.groupId))
    .where(eq(meetings.code, code));
  return found;
}

/** Refused for a cancelled meeting, or one already under way, with a plain reason. */
export function mustBeUpcoming(meeting: MeetingRow, now: Date, doing: string): void {
  if (meeting.status === 'cancelled')
    throw new UserError(
      'meeting_cancelled',
      `Meeting ${meeting.code} was cancelled, so you cannot ${doing}.`,
    );
  if (meeting.startsAt <= now)
    throw new UserError(
      'meeting_started',
      `Meeting ${meeting.code} has already started, so you cannot ${doing}.`,
    );
}

export type RsvpCounts = Readonly<Record<Rsvp, number>>;

export async function rsvpCounts(
  db: Db | Tx,
  meetingIds: readonly number[],
): Promise<Map<number, RsvpCounts>> {
  const counts = new Map<number, Record<Rsvp, number>>();
  if (meetingIds.length === 0) return counts;
  const rows = await db
    .select({ meetingId: meetingRsvps.meetingId, status: meetingRsvps.status, n: count() })
    .from(meetingRsvps)
    .where(inArray(meetingRsvps.meetingId, [...meetingIds]))
    .groupBy(meetingRsvps.meetingId, meetingRsvps.status);
  for (const row of rows) {
    const entry = counts.get(row.meetingId) ?? { going: 0, 'not-going': 0, maybe: 0 };
    entry[row.status] = row.n;
    counts.set(row.meetingId, entry);
  }
  return counts;
}

export const noAnswers: RsvpCounts = { going: 0, 'not-going': 0, maybe: 0 };

export async function myRsvp(db: Db | Tx, meetingId: number, memberId: number): Promise<Rsvp | undefined> {
  const [row] = await db
    .select({ status: meetingRsvps.status })
    .from(meetingRsvps)
    .where(and(eq(meetingRsvps.meetingId, meetingId), eq(meetingRsvps.memberId, memberId)));
  return row?.status;
}

/** Members who said they are going (or, with `maybe`, might), for reminders and notices. */
export async function peopleGoing(
  db: Db | Tx,
  meetingId: number,
  statuses: readonly Rsvp[] = ['going'],
): Promise<MemberRow[]> {
  const rows = await db
    .select({ member: schema.members })
    .from(meetingRsvps)
    .innerJoin(schema.members, eq(schema.members.id, meetingRsvps.memberId))
    .where(and(eq(meetingRsvps.meetingId, meetingId), inArray(meetingRsvps.status, [...statuses])))
    .orderBy(asc(schema.members.id));
  return rows.map((r) => r.member);
}

/** An agenda item with the person who will speak to it, as messages name them. */
export type AgendaEntry = AgendaItemRow & {
  readonly speakerUserId: string | null;
  readonly raisedByUserId: string | null;
};

const raiser = alias(schema.members, 'raiser');

async function itemsWithStatus(
  db: Db | Tx,
  meetingId: number,
  status: AgendaItemRow['status'],
): Promise<AgendaEntry[]> {
  const rows = await db
    .select({ item: agendaItems, speakerUserId: schema.members.userId, raisedByUserId: raiser.userId })
    .from(agendaItems)
    .leftJoin(schema.members, eq(schema.members.id, agendaItems.speakerId))
    .leftJoin(raiser, eq(raiser.id, agendaItems.raisedBy))
    .where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.status, status)))
    .orderBy(asc(agendaItems.position), asc(agendaItems.id));
  return rows.map((r) => ({ ...r.item, speakerUserId: r.speakerUserId, raisedByUserId: r.raisedByUserId }));
}

/** The agenda, in order. */
export const openItems = (db: Db | Tx, meetingId: number) => itemsWithStatus(db, meetingId, 'open');

/** Items merged into others, so an agenda can show what each item now covers. */
export const mergedItems = (db: Db | Tx, meetingId: number) => itemsWithStatus(db, meetingId, 'merged');

/**
 * Queue the meeting's channel post with its current content, once it has been posted: the
 * outbox edits it in place, as a poll's tally is. Before then there is nothing to update.
 */
export async function refreshMeetingPost(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  now: Date,
): Promise<void> {
  if (!meeting.agendaPostedAt) return;
  await postMeeting(tx, group, meeting, now);
}

/** Post (or re-post the content of) the meeting's agenda in the group's channel. */
export async function postMeeting(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  now: Date,
): Promise<MeetingRow> {
  let posted = meeting;
  if (!meeting.agendaPostedAt) {
    [posted = meeting] = await tx
      .update(meetings)
      .set({ agendaPostedAt: now })
      .where(eq(meetings.id, meeting.id))
      .returning();
  }
  const items = await openItems(tx, meeting.id);
  const merged = await mergedItems(tx, meeting.id);
  const counts = (await rsvpCounts(tx, [meeting.id])).get(meeting.id) ?? noAnswers;
  await upsertMessage(tx, now, {
    purpose: postPurpose(meeting),
    platform: group.platform,
    destination: homeChannel(group),
    message: agendaPostMessage(group, posted, items, merged, counts),
    groupId: group.id,
  });
  return posted;
}
