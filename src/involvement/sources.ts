/**
 * Involvement that copro records by itself, from other features' tables: agenda items members
 * proposed become "you said" feedback once their meeting has happened, and so do the results of
 * polls once they close (those who voted are the ones told what came of it; nobody, for an
 * anonymous poll, whose voters copro cannot know). Each source is taken once (a unique source
 * key), so a sweep can run on every scheduler tick.
 */
import { and, eq, gt, isNotNull, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type Db, schema } from '../../db/client.js';
import type { Sweep } from '../jobs/index.js';
import { confirmedAttendance } from '../meetings/records.js';
import { raiseFeedback } from './feedback.js';
import { addTime } from './store.js';

/** How far back a sweep looks: past that, a source is left alone. */
export const LOOK_BACK_MS = 30 * 86_400_000;

const { agendaItems, meetings, feedbackItems, polls, pollVotes } = schema;

/** Agenda items a member proposed, for meetings that have happened, as open feedback. */
export async function agendaFeedback(db: Db, now: Date): Promise<number> {
  const items = await db
    .select({ item: agendaItems, groupId: meetings.groupId, startsAt: meetings.startsAt })
    .from(agendaItems)
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(
      and(
        eq(meetings.status, 'scheduled'),
        lte(meetings.startsAt, now),
        gt(meetings.startsAt, new Date(now.getTime() - LOOK_BACK_MS)),
        eq(agendaItems.status, 'open'),
        isNotNull(agendaItems.raisedBy),
        sql`not exists (select 1 from ${feedbackItems} where ${feedbackItems.groupId} = ${meetings.groupId} and ${feedbackItems.sourceKey} = 'agenda:' || ${agendaItems.id})`,
      ),
    );
  for (const { item, groupId } of items)
    await raiseFeedback(db, {
      groupId,
      source: 'agenda',
      sourceKey: `agenda:${item.id}`,
      text: item.title,
      raisedBy: item.raisedBy === null ? [] : [item.raisedBy],
      now,
    });
  return items.length;
}

/** Polls closed lately that someone voted in, as open feedback raised by those who voted. */
export async function pollFeedback(db: Db, now: Date): Promise<number> {
  const closed = await db
    .select()
    .from(polls)
    .where(
      and(
        eq(polls.status, 'closed'),
        gt(polls.closedAt, new Date(now.getTime() - LOOK_BACK_MS)),
        sql`not exists (select 1 from ${feedbackItems} where ${feedbackItems.groupId} = ${polls.groupId} and ${feedbackItems.sourceKey} = 'poll:' || ${polls.id})`,
      ),
    );
  for (const poll of closed) {
    // Every vote, named or not (an anonymous poll's name nobody).
    const votes = await db
      .select({ memberId: pollVotes.memberId })
      .from(pollVotes)
      .where(eq(pollVotes.pollId, poll.id));
    // Nobody voted: there is nothing people said to act on, and nobody to tell what came of it.
    if (votes.length === 0) continue;
    await raiseFeedback(db, {
      groupId: poll.groupId,
      source: 'poll',
      sourceKey: `poll:${poll.id}`,
      text: `Poll ${poll.code}: ${poll.question}`,
      raisedBy: poll.anonymous ? [] : votes.flatMap((v) => (v.memberId === null ? [] : [v.memberId])),
      now,
    });
  }
  return closed.length;
}

/** Attendance a coordinator confirmed: the meeting's length, as time, once per member and meeting. */
export async function attendanceTime(db: Db, now: Date): Promise<number> {
  let made = 0;
  for (const group of await db.select().from(schema.groups)) {
    const rows = await confirmedAttendance(db, group.id, new Date(now.getTime() - LOOK_BACK_MS), now);
    if (rows.length === 0) continue;
    const done = new Set(
      (
        await db
          .select({ key: schema.involvementRecords.sourceKey })
          .from(schema.involvementRecords)
          .where(
            and(
              eq(schema.involvementRecords.groupId, group.id),
              isNotNull(schema.involvementRecords.sourceKey),
            ),
          )
      ).map((r) => r.key),
    );
    for (const a of rows) {
      const sourceKey = `meeting:${a.meetingId}:member:${a.memberId}`;
      if (done.has(sourceKey)) continue;
      const row = await addTime(db, {
        groupId: group.id,
        memberId: a.memberId,
        loggedBy: null,
        typeKey: 'meeting',
        minutes: Math.min(a.lengthMinutes, 24 * 60),
        description: a.title,
        day: DateTime.fromJSDate(a.startsAt, { zone: group.timezone }).toISODate() ?? '',
        sourceKey,
        now,
      });
      if (row) made += 1;
    }
  }
  return made;
}

export const recordFromSources: Sweep = async (db, now) => {
  await attendanceTime(db, now);
  await agendaFeedback(db, now);
  await pollFeedback(db, now);
};
