/**
 * Calendar files (.ics) for meetings. Each meeting keeps one UID for life, and its SEQUENCE goes
 * up with every change or a cancel, so a calendar that imported it before updates that entry
 * rather than adding a second one. Times are written in UTC, the one form every calendar reads
 * the same way; each calendar shows them in its owner's own timezone.
 */
import { createHash } from 'node:crypto';
import { createEvents, type EventAttributes } from 'ics';
import type { FileAttachment } from '../chat/index.js';
import type { GroupRow } from '../groups/types.js';

export interface CalendarMeeting {
  readonly code: string;
  readonly title: string;
  readonly startsAt: Date;
  readonly lengthMinutes: number;
  readonly location: string | null;
  readonly status: 'scheduled' | 'cancelled';
  readonly sequence: number;
  readonly papers: readonly string[];
}

/** What a calendar file needs of the group: its name, and what tells it apart from any other. */
export type CalendarGroup = Pick<GroupRow, 'id' | 'name' | 'platform' | 'workspaceId' | 'createdAt'>;

/**
 * The UID a meeting keeps in every calendar file copro makes of it, changes and cancels
 * included. Meeting codes are short and made in each copro on its own, so the UID adds a mark of
 * the group (its workspace, id and when it was set up, hashed): two groups, or two copros, never
 * give one calendar the same UID.
 */
export function calendarUid(meeting: Pick<CalendarMeeting, 'code'>, group: CalendarGroup): string {
  const mark = createHash('sha256')
    .update(`${group.platform}:${group.workspaceId}:${group.id}:${group.createdAt.toISOString()}`)
    .digest('hex')
    .slice(0, 12);
  return `${meeting.code}-${mark}@copro`;
}

function event(meeting: CalendarMeeting, group: CalendarGroup): EventAttributes {
  const papers = meeting.papers.length > 0 ? `\nPapers: ${meeting.papers.join(' ')}` : '';
  return {
    uid: calendarUid(meeting, group),
    sequence: meeting.sequence,
    title: meeting.title,
    start: meeting.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: meeting.lengthMinutes },
    ...(meeting.location ? { location: meeting.location } : {}),
    description: `${group.name}, meeting ${meeting.code}. The agenda: /copro agenda ${meeting.code}${papers}`,
    status: meeting.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    productId: 'copro',
  };
}

/** One calendar file holding the given meetings (at least one). */
export function calendarFile(
  meetings: readonly CalendarMeeting[],
  group: CalendarGroup,
  name = meetings.length === 1 ? `meeting-${meetings[0]!.code}.ics` : 'meetings.ics',
): FileAttachment {
  const onlyCancelled = meetings.length === 1 && meetings[0]!.status === 'cancelled';
  const { error, value } = createEvents(
    meetings.map((m) => event(m, group)),
    // A lone cancelled meeting is sent as a cancellation, which calendars apply to their entry.
    { productId: 'copro', method: onlyCancelled ? 'CANCEL' : 'PUBLISH' },
  );
  if (error || !value) throw error ?? new Error('the calendar file came out empty');
  return {
    name,
    mimeType: 'text/calendar',
    content: value,
    title:
      meetings.length === 1
        ? `Calendar entry for ${meetings[0]!.title}`
        : 'Calendar entries for the meetings coming up',
  };
}
