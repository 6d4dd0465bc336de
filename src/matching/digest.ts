/**
 * The digest's peer-buddy section: how many pairs the latest round made and the share that met.
 * Counts only: a digest goes to the whole channel, so it never names who did or did not meet.
 */
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSection, SectionContext } from '../digest/sections.js';

export async function matchingDigestSection(ctx: SectionContext): Promise<DigestSection | undefined> {
  const { db, group, since, until, period } = ctx;
  const { matchRounds, matchGroups, matchFollowUps } = schema;
  const [round] = await db
    .select()
    .from(matchRounds)
    .where(and(eq(matchRounds.groupId, group.id), lte(matchRounds.ranAt, until)))
    .orderBy(desc(matchRounds.ranAt))
    .limit(1);
  if (!round) return undefined;
  const groups = await db.select().from(matchGroups).where(eq(matchGroups.roundId, round.id));
  const answers = groups.length
    ? await db
        .select()
        .from(matchFollowUps)
        .where(
          inArray(
            matchFollowUps.matchGroupId,
            groups.map((g) => g.id),
          ),
        )
    : [];
  const ranNow = round.ranAt > since;
  const answeredNow = answers.some((a) => a.answeredAt > since && a.answeredAt <= until);
  if (!ranNow && !answeredNow) return undefined;
  const lines: string[] = [];
  const n = groups.length;
  const unit = round.groupSize === 2 ? ['pair', 'pairs'] : ['group', 'groups'];
  if (ranNow) lines.push(`Round ${round.number} introduced ${n} ${n === 1 ? unit[0] : unit[1]} ${period}.`);
  if (answers.length > 0) {
    const met = groups.filter((g) =>
      answers.some((a) => a.matchGroupId === g.id && a.answer === 'met'),
    ).length;
    lines.push(
      `So far ${met} of ${n} ${n === 1 ? `${unit[0]} has` : `${unit[1]} have`} met (${Math.round((100 * met) / n)}%).`,
    );
  }
  return { title: 'Peer buddies', lines };
}
