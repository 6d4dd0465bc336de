/**
 * The polls' part of the weekly digest: open polls with their deadlines and turnout, and the
 * results of polls closed in the period. Results follow the same count as the poll's own results
 * message (tally.ts), so the digest never disagrees with what the channel showed.
 */
import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { inPeriod, sectionForGroups, span } from '../digest/sections.js';
import { listOf, plural, quoted } from '../text.js';
import { formatWhen } from '../time.js';
import { ballotsOfPolls, eligibleMembersOf } from './store.js';
import { type Ballot, leaders as levelAtTop, tally } from './tally.js';

const { polls } = schema;
type PollRow = typeof polls.$inferSelect;

/** Polls still open, with their deadlines and how many have voted. */
export const openPolls = sectionForGroups(async (ctxs) => {
  const { db, groupIds, until } = span(ctxs);
  const open = await db
    .select()
    .from(polls)
    .where(and(inArray(polls.groupId, groupIds), eq(polls.status, 'open'), lte(polls.createdAt, until)))
    .orderBy(asc(polls.closesAt), asc(polls.id));
  if (open.length === 0) return ctxs.map(() => undefined);
  const eligible = await eligibleMembersOf(db, groupIds);
  const ballots = await ballotsOfPolls(
    db,
    open.map((p) => p.id),
  );
  return ctxs.map(({ group, until, zone }) => {
    const lines = open
      .filter((p) => p.groupId === group.id && p.createdAt <= until)
      .map((poll) => {
        const { voters } = tally(poll.mode, poll.options.length, ballots.get(poll.id) ?? []);
        const closes = poll.closesAt ? ` closes ${formatWhen(poll.closesAt, zone)}.` : ' is open.';
        return `${quoted(poll.question)}${closes} ${voters} of ${eligible.get(group.id) ?? 0} members ${voters === 1 ? 'has' : 'have'} voted.`;
      });
    return lines.length > 0 ? { title: 'Open polls', lines } : undefined;
  });
});

/** Results of polls that closed in the period. */
export const pollResults = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const closed = await db
    .select()
    .from(polls)
    .where(
      and(
        inArray(polls.groupId, groupIds),
        eq(polls.status, 'closed'),
        gt(polls.closedAt, since),
        lte(polls.closedAt, until),
      ),
    )
    .orderBy(asc(polls.closedAt), asc(polls.id));
  if (closed.length === 0) return ctxs.map(() => undefined);
  const ballots = await ballotsOfPolls(
    db,
    closed.map((p) => p.id),
  );
  return ctxs.map((ctx) => {
    const lines = closed
      .filter((p) => p.groupId === ctx.group.id && inPeriod(ctx, p.closedAt))
      .map((poll) => resultLine(poll, ballots.get(poll.id) ?? []));
    return lines.length > 0 ? { title: 'Poll results', lines } : undefined;
  });
});

function resultLine(poll: PollRow, ballots: readonly Ballot[]): string {
  const t = tally(poll.mode, poll.options.length, ballots);
  const question = quoted(poll.question);
  const voters = plural(t.voters, 'voter');
  if (poll.mode === 'ranked') {
    // Level after the documented tie-break (first choices) is a tie, as the results post says.
    const top = levelAtTop(poll.mode, t).map((o) => quoted(poll.options[o] ?? ''));
    return top.length === 0
      ? `${question} closed with no votes.`
      : top.length > 1
        ? `${question}: ${listOf(top)} tied at the top of the ranking, from ${voters}.`
        : `${question}: ${top[0]} came top of the ranking, from ${voters}.`;
  }
  const most = Math.max(0, ...t.counts);
  const leaders = most > 0 ? poll.options.filter((_, i) => t.counts[i] === most) : [];
  if (t.voters === 0 || leaders.length === 0) return `${question} closed with no votes.`;
  if (leaders.length > 1)
    return `${question}: ${listOf(leaders.map(quoted))} tied, with ${plural(most, 'vote')} each, from ${voters}.`;
  return `${question}: ${quoted(leaders[0]!)} had the most votes (${most} of ${t.voters}).`;
}
