/**
 * The digest's onboarding section: how many joined and how many finished their welcome in the
 * period. Counts only: a digest goes to the whole channel, so it names nobody and says nothing
 * about anyone's answers.
 */
import { and, count, eq, gt, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSection, SectionContext } from '../digest/sections.js';
import { joinedWithin } from '../groups/members.js';
import { plural } from '../text.js';

export async function onboardingDigestSection(ctx: SectionContext): Promise<DigestSection | undefined> {
  const { db, group, since, until, period } = ctx;
  const { groupMembers, onboardingJourneys: journeys } = schema;
  const [joined] = await db
    .select({ n: count() })
    .from(groupMembers)
    .where(joinedWithin(group.id, since, until));
  const [finished] = await db
    .select({ n: count() })
    .from(journeys)
    .where(
      and(eq(journeys.groupId, group.id), gt(journeys.finishedAt, since), lte(journeys.finishedAt, until)),
    );
  const j = joined?.n ?? 0;
  const f = finished?.n ?? 0;
  if (j === 0 && f === 0) return undefined;
  const lines: string[] = [];
  if (j > 0) lines.push(`${plural(j, 'person', 'people')} joined the group ${period}.`);
  if (f > 0)
    lines.push(
      `${plural(f, 'person', 'people')} finished their welcome ${period}. Thank you for making them feel at home.`,
    );
  return { title: 'Welcoming newcomers', lines };
}
