/** The meetings' part of the weekly digest: what is coming up, and what meetings decided. */
import { and, count, eq, inArray } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { inPeriod, sectionForGroups, span } from '../digest/sections.js';
import { plural, quoted } from '../text.js';
import { formatWhen } from '../time.js';
import { meetingOutcomes } from './records.js';
import { countsLine } from './render.js';
import { noAnswers, rsvpCounts } from './store.js';
import { upcomingMeetings } from './upcoming.js';

const FORTNIGHT_MS = 14 * 24 * 60 * 60 * 1000;
const fortnightAfter = (at: Date) => new Date(at.getTime() + FORTNIGHT_MS);

/** Meetings in the fortnight after the digest, with answers so far and agenda items. */
export const upcomingMeetingsSection = sectionForGroups(async (ctxs) => {
  const { db, groupIds } = span(ctxs);
  const { agendaItems } = schema;
  const earliest = Math.min(...ctxs.map((c) => c.until.getTime()));
  const latest = Math.max(...ctxs.map((c) => c.until.getTime()));
  const coming = await upcomingMeetings(db, groupIds, new Date(earliest), fortnightAfter(new Date(latest)));
  if (coming.length === 0) return ctxs.map(() => undefined);
  const ids = coming.map((m) => m.id);
  const counts = await rsvpCounts(db, ids);
  const items = await db
    .select({ meetingId: agendaItems.meetingId, n: count() })
    .from(agendaItems)
    .where(and(inArray(agendaItems.meetingId, ids), eq(agendaItems.status, 'open')))
    .groupBy(agendaItems.meetingId);
  const itemsOf = new Map(items.map((i) => [i.meetingId, i.n]));
  return ctxs.map(({ group, until, zone }) => {
    const lines = coming
      .filter((m) => m.groupId === group.id && m.startsAt > until && m.startsAt <= fortnightAfter(until))
      .map(
        (meeting) =>
          `${quoted(meeting.title)} (${meeting.code}), ${formatWhen(meeting.startsAt, zone)}: ${countsLine(counts.get(meeting.id) ?? noAnswers)}; ${plural(itemsOf.get(meeting.id) ?? 0, 'item')} on the agenda. Add one: /copro agenda add ${meeting.code} "item".`,
      );
    return lines.length > 0 ? { title: 'Meetings coming up', lines } : undefined;
  });
});

/** Decisions recorded in meeting notes during the period. */
export const decisionsSection = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const decided = (await meetingOutcomes(db, groupIds, since, until)).filter((o) => o.kind === 'decision');
  return ctxs.map((ctx) => {
    const lines = decided
      .filter((d) => d.groupId === ctx.group.id && inPeriod(ctx, d.recordedAt))
      .map(
        (d) => `${quoted(d.text)}${d.itemTitle ? ` (on ${quoted(d.itemTitle)})` : ''}, at ${d.meetingCode}.`,
      );
    return lines.length > 0 ? { title: 'Decided at meetings', lines } : undefined;
  });
});
