/**
 * The involvement part of the weekly digest: hours given, as one total (never per person), and
 * what changed because of members' input ("you said, we did").
 */
import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { inPeriod, sectionForGroups, span } from '../digest/sections.js';
import { plural, quoted } from '../text.js';
import { formatMinutes } from './days.js';
import { raisedWords } from './feedback.js';

/** Hours recorded in the period, as a total. */
export const hoursGiven = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const r = schema.involvementRecords;
  const rows = await db
    .select({ groupId: r.groupId, memberId: r.memberId, minutes: r.minutes, at: r.createdAt })
    .from(r)
    .where(
      and(inArray(r.groupId, groupIds), eq(r.kind, 'time'), gt(r.createdAt, since), lte(r.createdAt, until)),
    );
  return ctxs.map((ctx) => {
    const mine = rows.filter((row) => row.groupId === ctx.group.id && inPeriod(ctx, row.at));
    const minutes = mine.reduce((sum, row) => sum + (row.minutes ?? 0), 0);
    if (minutes === 0) return undefined;
    // Records of people since forgotten count in the hours, not in the people.
    const people = new Set(mine.flatMap((row) => (row.memberId === null ? [] : [row.memberId]))).size;
    return {
      title: 'Time given',
      lines: [
        `${formatMinutes(minutes)} of members' time was recorded ${ctx.period}, from ${plural(people, 'person', 'people')}. Thank you, everyone.`,
      ],
    };
  });
});

/** Feedback closed in the period, with what changed (or why not). */
export const youSaidWeDid = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const f = schema.feedbackItems;
  const closed = await db
    .select()
    .from(f)
    .where(
      and(
        inArray(f.groupId, groupIds),
        eq(f.status, 'closed'),
        gt(f.closedAt, since),
        lte(f.closedAt, until),
      ),
    )
    .orderBy(asc(f.closedAt), asc(f.id));
  return ctxs.map((ctx) => {
    const lines = closed
      .filter((c) => c.groupId === ctx.group.id && inPeriod(ctx, c.closedAt))
      .map((c) =>
        c.outcome === 'unchanged'
          ? `${raisedWords(c)}. We did not change this, because ${quoted(c.outcomeText ?? '')}.`
          : `${raisedWords(c)}. We did: ${quoted(c.outcomeText ?? '')}.`,
      );
    return lines.length > 0 ? { title: 'You said, we did', lines } : undefined;
  });
});
