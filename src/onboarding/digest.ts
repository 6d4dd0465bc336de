/**
 * The digest's onboarding section: how many joined and how many finished their welcome in the
 * period. Counts only: a digest goes to the whole channel, so it names nobody and says nothing
 * about anyone's answers.
 */
import { and, gt, inArray, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { inPeriod, sectionForGroups, span } from '../digest/sections.js';
import { joinedWithin } from '../groups/members.js';
import { plural } from '../text.js';

export const onboardingDigestSection = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const { groupMembers, onboardingJourneys: journeys } = schema;
  const joinedRows = await db
    .select({ groupId: groupMembers.groupId, at: groupMembers.joinedAt })
    .from(groupMembers)
    .where(joinedWithin(groupIds, since, until));
  const finishedRows = await db
    .select({ groupId: journeys.groupId, at: journeys.finishedAt })
    .from(journeys)
    .where(
      and(
        inArray(journeys.groupId, groupIds),
        gt(journeys.finishedAt, since),
        lte(journeys.finishedAt, until),
      ),
    );
  return ctxs.map(({ group, period, ...ctx }) => {
    const j = joinedRows.filter((r) => r.groupId === group.id && inPeriod(ctx, r.at)).length;
    const f = finishedRows.filter((r) => r.groupId === group.id && inPeriod(ctx, r.at)).length;
    if (j === 0 && f === 0) return undefined;
    const lines: string[] = [];
    if (j > 0) lines.push(`${plural(j, 'person', 'people')} joined the group ${period}.`);
    if (f > 0)
      lines.push(
        `${plural(f, 'person', 'people')} finished their welcome ${period}. Thank you for making them feel at home.`,
      );
    return { title: 'Welcoming newcomers', lines };
  });
});
