/**
 * Small read functions for other features (involvement records, the digest): confirmed
 * attendance and the decisions meetings recorded, in a period. Cancelled meetings count for
 * nothing.
 */
import { and, asc, eq, gt, inArray, isNotNull, lte } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';

const { meetings, meetingAttendance: attendance, meetingOutcomes: outcomes, agendaItems } = schema;

export interface AttendanceRecord {
  readonly meetingId: number;
  readonly meetingCode: string;
  readonly title: string;
  readonly startsAt: Date;
  readonly lengthMinutes: number;
  readonly memberId: number;
  readonly confirmedAt: Date;
}

/** Who a coordinator confirmed was at a meeting that started after `from`, up to and including `to`. */
export async function confirmedAttendance(
  db: Db | Tx,
  groupId: number,
  from: Date,
  to: Date,
): Promise<AttendanceRecord[]> {
  const rows = await db
    .select({ meeting: meetings, row: attendance })
    .from(attendance)
    .innerJoin(meetings, eq(meetings.id, attendance.meetingId))
    .where(
      and(
        eq(meetings.groupId, groupId),
        eq(meetings.status, 'scheduled'),
        gt(meetings.startsAt, from),
        lte(meetings.startsAt, to),
        eq(attendance.status, 'attended'),
        isNotNull(attendance.confirmedAt),
      ),
    )
    .orderBy(asc(meetings.startsAt), asc(attendance.memberId));
  return rows.map(({ meeting, row }) => ({
    meetingId: meeting.id,
    meetingCode: meeting.code,
    title: meeting.title,
    startsAt: meeting.startsAt,
    lengthMinutes: meeting.lengthMinutes,
    memberId: row.memberId,
    confirmedAt: row.confirmedAt!,
  }));
}

export interface OutcomeRecord {
  readonly groupId: number;
  readonly meetingId: number;
  readonly meetingCode: string;
  readonly kind: 'decision' | 'action';
  readonly text: string;
  readonly recordedAt: Date;
  /** The agenda item it came from, and who raised that item, when it was linked to one. */
  readonly itemTitle: string | null;
  readonly raisedBy: number | null;
}

/** Decisions and actions recorded after `from`, up to and including `to`, in a group or several. */
export async function meetingOutcomes(
  db: Db | Tx,
  groupId: number | readonly number[],
  from: Date,
  to: Date,
): Promise<OutcomeRecord[]> {
  const rows = await db
    .select({ meeting: meetings, outcome: outcomes, item: agendaItems })
    .from(outcomes)
    .innerJoin(meetings, eq(meetings.id, outcomes.meetingId))
    .leftJoin(agendaItems, eq(agendaItems.id, outcomes.agendaItemId))
    .where(
      and(
        typeof groupId === 'number' ? eq(meetings.groupId, groupId) : inArray(meetings.groupId, [...groupId]),
        gt(outcomes.recordedAt, from),
        lte(outcomes.recordedAt, to),
      ),
    )
    .orderBy(asc(outcomes.recordedAt), asc(outcomes.id));
  return rows.map(({ meeting, outcome, item }) => ({
    groupId: meeting.groupId,
    meetingId: meeting.id,
    meetingCode: meeting.code,
    kind: outcome.kind,
    text: outcome.text,
    recordedAt: outcome.recordedAt,
    itemTitle: item?.title ?? null,
    raisedBy: item?.raisedBy ?? null,
  }));
}
