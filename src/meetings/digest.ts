/** The meetings' part of the weekly digest: what is coming up, and what meetings decided. */
import { and, eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSectionBuilder } from '../digest/sections.js';
import { plural, quoted } from '../text.js';
import { formatWhen } from '../time.js';
import { meetingOutcomes } from './records.js';
import { countsLine } from './render.js';
import { noAnswers, rsvpCounts } from './store.js';
import { upcomingMeetings } from './upcoming.js';

const FORTNIGHT_MS = 14 * 24 * 60 * 60 * 1000;

/** Meetings in the fortnight after the digest, with answers so far and agenda items. */
export const upcomingMeetingsSection: DigestSectionBuilder = async ({ db, group, until, zone }) => {
  const { agendaItems } = schema;
  const coming = await upcomingMeetings(db, group.id, until, new Date(until.getTime() + FORTNIGHT_MS));
  if (coming.length === 0) return undefined;
  const counts = await rsvpCounts(
    db,
    coming.map((m) => m.id),
  );
  const lines: string[] = [];
  for (const meeting of coming) {
    const items = await db
      .select({ id: agendaItems.id })
      .from(agendaItems)
      .where(and(eq(agendaItems.meetingId, meeting.id), eq(agendaItems.status, 'open')));
    lines.push(
      `${quoted(meeting.title)} (${meeting.code}), ${formatWhen(meeting.startsAt, zone)}: ${countsLine(counts.get(meeting.id) ?? noAnswers)}; ${plural(items.length, 'item')} on the agenda. Add one: /copro agenda add ${meeting.code} "item".`,
    );
  }
  return { title: 'Meetings coming up', lines };
};

/** Decisions recorded in meeting notes during the period. */
export const decisionsSection: DigestSectionBuilder = async ({ db, group, since, until }) => {
  const decided = (await meetingOutcomes(db, group.id, since, until)).filter((o) => o.kind === 'decision');
  if (decided.length === 0) return undefined;
  return {
    title: 'Decided at meetings',
    lines: decided.map(
      (d) => `${quoted(d.text)}${d.itemTitle ? ` (on ${quoted(d.itemTitle)})` : ''}, at ${d.meetingCode}.`,
    ),
  };
};
