/**
 * Calendar files (.ics) for meetings. Each meeting keeps one UID for life, and its SEQUENCE goes
 * up with every change or a cancel, so a calendar that imported it before updates that entry
 * rather than adding a second one. Times are written in UTC, the one form every calendar reads
 * the same way; each calendar shows them in its owner's own timezone.
 */
import { createEvents, type EventAttributes } from 'ics';
import type { FileAttachment } from '../chat/index.js';

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

/** The UID a meeting keeps in every calendar file copro makes of it. */
export const calendarUid = (meeting: Pick<CalendarMeeting, 'code'>) => `${meeting.code}@copro`;

function event(meeting: CalendarMeeting, groupName: string): EventAttributes {
  const papers = meeting.papers.length > 0 ? `\nPapers: ${meeting.papers.join(' ')}` : '';
  return {
    uid: calendarUid(meeting),
    sequence: meeting.sequence,
    title: meeting.title,
    start: meeting.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: meeting.lengthMinutes },
    ...(meeting.location ? { location: meeting.location } : {}),
    description: `${groupName}, meeting ${meeting.code}. The agenda: /copro agenda ${meeting.code}${papers}`,
    status: meeting.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    productId: 'copro',
  };
}

/** One calendar file holding the given meetings (at least one). */
export function calendarFile(
  meetings: readonly CalendarMeeting[],
  groupName: string,
  name = meetings.length === 1 ? `meeting-${meetings[0]!.code}.ics` : 'meetings.ics',
): FileAttachment {
  const onlyCancelled = meetings.length === 1 && meetings[0]!.status === 'cancelled';
  const { error, value } = createEvents(
    meetings.map((m) => event(m, groupName)),
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
