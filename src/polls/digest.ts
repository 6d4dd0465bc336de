/**
 * The polls' part of the weekly digest: open polls with their deadlines and turnout, and the
 * results of polls closed in the period. Results follow the same count as the poll's own results
 * message (tally.ts), so the digest never disagrees with what the channel showed.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSectionBuilder } from '../digest/sections.js';
import { listOf, plural, quoted } from '../text.js';
import { formatWhen } from '../time.js';
import { ballotsOf, eligibleMembers } from './store.js';
import { leaders as levelAtTop, tally } from './tally.js';

const { polls } = schema;

/** Polls still open, with their deadlines and how many have voted. */
export const openPolls: DigestSectionBuilder = async ({ db, group, until, zone }) => {
  const open = await db
    .select()
    .from(polls)
    .where(and(eq(polls.groupId, group.id), eq(polls.status, 'open'), lte(polls.createdAt, until)))
    .orderBy(asc(polls.closesAt), asc(polls.id));
  if (open.length === 0) return undefined;
  const eligible = await eligibleMembers(db, group.id);
  const lines: string[] = [];
  for (const poll of open) {
    const { voters } = tally(poll.mode, poll.options.length, await ballotsOf(db, poll.id));
    const closes = poll.closesAt ? ` closes ${formatWhen(poll.closesAt, zone)}.` : ' is open.';
    lines.push(
      `${quoted(poll.question)}${closes} ${voters} of ${eligible} members ${voters === 1 ? 'has' : 'have'} voted.`,
    );
  }
  return { title: 'Open polls', lines };
};

/** Results of polls that closed in the period. */
export const pollResults: DigestSectionBuilder = async ({ db, group, since, until }) => {
  const closed = await db
    .select()
    .from(polls)
    .where(
      and(
        eq(polls.groupId, group.id),
        eq(polls.status, 'closed'),
        gt(polls.closedAt, since),
        lte(polls.closedAt, until),
      ),
    )
    .orderBy(asc(polls.closedAt), asc(polls.id));
  if (closed.length === 0) return undefined;
  const lines: string[] = [];
  for (const poll of closed) {
    const t = tally(poll.mode, poll.options.length, await ballotsOf(db, poll.id));
    const question = quoted(poll.question);
    const voters = plural(t.voters, 'voter');
    if (poll.mode === 'ranked') {
      // Level after the documented tie-break (first choices) is a tie, as the results post says.
      const top = levelAtTop(poll.mode, t).map((o) => quoted(poll.options[o] ?? ''));
      lines.push(
        top.length === 0
          ? `${question} closed with no votes.`
          : top.length > 1
            ? `${question}: ${listOf(top)} tied at the top of the ranking, from ${voters}.`
            : `${question}: ${top[0]} came top of the ranking, from ${voters}.`,
      );
      continue;
    }
    const most = Math.max(0, ...t.counts);
    const leaders = most > 0 ? poll.options.filter((_, i) => t.counts[i] === most) : [];
    if (t.voters === 0 || leaders.length === 0) lines.push(`${question} closed with no votes.`);
    else if (leaders.length > 1)
      lines.push(
        `${question}: ${listOf(leaders.map(quoted))} tied, with ${plural(most, 'vote')} each, from ${voters}.`,
      );
    else lines.push(`${question}: ${quoted(leaders[0]!)} had the most votes (${most} of ${t.voters}).`);
  }
  return { title: 'Poll results', lines };
};
