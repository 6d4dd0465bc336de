/**
 * The digest's peer-buddy section: how many pairs the latest round made and the share that met.
 * Counts only: a digest goes to the whole channel, so it never names who did or did not meet.
 */
import { and, desc, inArray, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { inPeriod, type SectionContext, sectionForGroups, span } from '../digest/sections.js';
import { groupsInWords } from './group-words.js';

const { matchRounds, matchGroups, matchFollowUps } = schema;
type RoundRow = typeof matchRounds.$inferSelect;

export const matchingDigestSection = sectionForGroups(async (ctxs) => {
  const { db } = span(ctxs);
  // Each group's latest round up to the end of its period: one query per distinct end (usually one).
  const latest = new Map<SectionContext, RoundRow>();
  for (const until of new Set(ctxs.map((c) => c.until.getTime()))) {
    const sharing = ctxs.filter((c) => c.until.getTime() === until);
    const rounds = await db
      .selectDistinctOn([matchRounds.groupId])
      .from(matchRounds)
      .where(
        and(
          inArray(
            matchRounds.groupId,
            sharing.map((c) => c.group.id),
          ),
          lte(matchRounds.ranAt, new Date(until)),
        ),
      )
      .orderBy(matchRounds.groupId, desc(matchRounds.ranAt));
    for (const c of sharing) {
      const round = rounds.find((r) => r.groupId === c.group.id);
      if (round) latest.set(c, round);
    }
  }
  const roundIds = [...new Set([...latest.values()].map((r) => r.id))];
  const groups = roundIds.length
    ? await db.select().from(matchGroups).where(inArray(matchGroups.roundId, roundIds))
    : [];
  const groupIds = groups.map((g) => g.id);
  const answers = groupIds.length
    ? await db.select().from(matchFollowUps).where(inArray(matchFollowUps.matchGroupId, groupIds))
    : [];
  return ctxs.map((ctx) => {
    const round = latest.get(ctx);
    if (!round) return undefined;
    const made = groups.filter((g) => g.roundId === round.id);
    const answered = answers.filter((a) => made.some((g) => g.id === a.matchGroupId));
    return sectionFor(ctx, round, made, answered);
  });
});

function sectionFor(
  ctx: SectionContext,
  round: RoundRow,
  groups: readonly (typeof matchGroups.$inferSelect)[],
  answers: readonly (typeof matchFollowUps.$inferSelect)[],
) {
  const ranNow = round.ranAt > ctx.since;
  const answeredNow = answers.some((a) => inPeriod(ctx, a.answeredAt));
  if (!ranNow && !answeredNow) return undefined;
  const lines: string[] = [];
  const n = groups.length;
  const unit =
    round.groupSize === 2 && groups.every((g) => g.size === 2) ? ['pair', 'pairs'] : ['group', 'groups'];
  if (ranNow) lines.push(`Round ${round.number} introduced ${groupsInWords(groups)} ${ctx.period}.`);
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
