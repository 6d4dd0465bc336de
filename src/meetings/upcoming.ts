import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { MeetingRow } from './store.js';

const { meetings } = schema;

/**
 * The group's (or groups') meetings still planned to start after `after` (and by `until`, if
 * given), soonest first.
 */
function scheduledAfter(db: Db | Tx, groupId: number | readonly number[], after: Date, until?: Date) {
  return db
    .select()
    .from(meetings)
    .where(
      and(
        typeof groupId === 'number' ? eq(meetings.groupId, groupId) : inArray(meetings.groupId, [...groupId]),
        eq(meetings.status, 'scheduled'),
        gt(meetings.startsAt, after),
        until ? lte(meetings.startsAt, until) : undefined,
      ),
    )
    .orderBy(asc(meetings.startsAt), asc(meetings.id));
}

export async function upcomingMeetings(
  db: Db | Tx,
  groupId: number | readonly number[],
  after: Date,
  until?: Date,
): Promise<MeetingRow[]> {
  return scheduledAfter(db, groupId, after, until);
}

/** The first meeting the group has planned after `after`, if any. */
export async function nextMeeting(
  db: Db | Tx,
  groupId: number,
  after: Date,
): Promise<MeetingRow | undefined> {
  const [next] = await scheduledAfter(db, groupId, after).limit(1);
  return next;
}

/** A meeting still planned in the group with this title (in any case) at this time. */
export async function sameMeeting(
  db: Db | Tx,
  groupId: number,
  title: string,
  startsAt: Date,
): Promise<MeetingRow | undefined> {
  const [found] = await db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.groupId, groupId),
        eq(meetings.startsAt, startsAt),
        eq(meetings.status, 'scheduled'),
        sql`lower(${meetings.title}) = lower(${title})`,
      ),
    )
    .limit(1);
  return found;
}
