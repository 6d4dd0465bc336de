/**
 * The involvement part of the weekly digest: hours given, as one total (never per person), and
 * what changed because of members' input ("you said, we did").
 */
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSectionBuilder } from '../digest/sections.js';
import { plural, quoted } from '../text.js';
import { formatMinutes } from './days.js';

/** Hours recorded in the period, as a total. */
export const hoursGiven: DigestSectionBuilder = async ({ db, group, since, until, period }) => {
  const r = schema.involvementRecords;
  const [row] = await db
    .select({
      minutes: sql<string | null>`sum(${r.minutes})`,
      people: sql<string>`count(distinct ${r.memberId})`,
    })
    .from(r)
    .where(and(eq(r.groupId, group.id), eq(r.kind, 'time'), gt(r.createdAt, since), lte(r.createdAt, until)));
  const minutes = Number(row?.minutes ?? 0);
  if (minutes === 0) return undefined;
  return {
    title: 'Time given',
    lines: [
      `${formatMinutes(minutes)} of members' time was recorded ${period}, from ${plural(Number(row?.people ?? 0), 'person', 'people')}. Thank you, everyone.`,
    ],
  };
};

/** Feedback closed in the period, with what changed (or why not). */
export const youSaidWeDid: DigestSectionBuilder = async ({ db, group, since, until }) => {
  const f = schema.feedbackItems;
  const closed = await db
    .select()
    .from(f)
    .where(
      and(eq(f.groupId, group.id), eq(f.status, 'closed'), gt(f.closedAt, since), lte(f.closedAt, until)),
    )
    .orderBy(asc(f.closedAt), asc(f.id));
  if (closed.length === 0) return undefined;
  return {
    title: 'You said, we did',
    lines: closed.map((c) =>
      c.outcome === 'unchanged'
        ? `You said ${quoted(c.text)}. We did not change this, because ${quoted(c.outcomeText ?? '')}.`
        : `You said ${quoted(c.text)}. We did: ${quoted(c.outcomeText ?? '')}.`,
    ),
  };
};
