/**
 * The digest's view of polls: open polls with their deadlines and turnout, and the results of
 * polls closed in the period. Read-only; the polls feature owns the tables and the counting.
 * Results follow the same count as the poll's own results message (tally.ts), so the digest
 * never disagrees with what the channel showed.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { ballotsOf, eligibleMembers } from '../polls/store.js';
import { tally } from '../polls/tally.js';
import type { DigestSources, OpenPollSummary, PollResultSummary } from './sections.js';

const { polls } = schema;

export const pollDigestSources: Pick<DigestSources, 'openPolls' | 'pollResults'> = {
  async openPolls({ db, groupId, until }) {
    const open = await db
      .select()
      .from(polls)
      .where(and(eq(polls.groupId, groupId), eq(polls.status, 'open'), lte(polls.createdAt, until)))
      .orderBy(asc(polls.closesAt), asc(polls.id));
    if (open.length === 0) return [];
    const eligible = await eligibleMembers(db, groupId);
    const out: OpenPollSummary[] = [];
    for (const poll of open) {
      const ballots = await ballotsOf(db, poll.id);
      out.push({
        question: poll.question,
        closesAt: poll.closesAt ?? undefined,
        voters: tally(poll.mode, poll.options.length, ballots).voters,
        eligible,
      });
    }
    return out;
  },

  async pollResults({ db, groupId, since, until }) {
    const closed = await db
      .select()
      .from(polls)
      .where(
        and(
          eq(polls.groupId, groupId),
          eq(polls.status, 'closed'),
          gt(polls.closedAt, since),
          lte(polls.closedAt, until),
        ),
      )
      .orderBy(asc(polls.closedAt), asc(polls.id));
    const out: PollResultSummary[] = [];
    for (const poll of closed) {
      const t = tally(poll.mode, poll.options.length, await ballotsOf(db, poll.id));
      if (poll.mode === 'ranked') {
        const top = t.order[0];
        out.push({
          question: poll.question,
          leaders: t.voters > 0 && top !== undefined ? [poll.options[top]!] : [],
          leaderVotes: 0,
          voters: t.voters,
          ranked: true,
        });
        continue;
      }
      const most = Math.max(0, ...t.counts);
      out.push({
        question: poll.question,
        leaders: most > 0 ? poll.options.filter((_, i) => t.counts[i] === most) : [],
        leaderVotes: most,
        voters: t.voters,
      });
    }
    return out;
  },
};
