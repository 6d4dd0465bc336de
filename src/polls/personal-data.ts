/**
 * What polls hold about a person: polls they started or closed, their votes in ordinary polls,
 * and whether they turned poll reminders off. Votes in anonymous polls are stored so that no
 * query can find them (src/polls/voter-key.ts), so the export says so rather than listing them.
 * Erasing keeps every vote in the counts, with nothing left that says whose it was.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { groupNames } from '../groups/personal-data.js';
import { markStale } from '../jobs/index.js';
import type { PersonalData } from '../privacy/declaration.js';
import { voterKeys } from './voter-key.js';

const { polls, pollVotes, pollReminderOptOuts: optOuts } = schema;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const pollsPersonalData: PersonalData = {
  refersToPerson: [
    'polls.created_by',
    'polls.closed_by',
    'poll_votes.member_id',
    'poll_votes.voter_key',
    'poll_reminder_opt_outs.member_id',
  ],
  holdsNoPerson: ['polls.options', 'poll_votes.choices'],
  async export({ db, member }) {
    const started = await db
      .select()
      .from(polls)
      .where(or(eq(polls.createdBy, member.id), eq(polls.closedBy, member.id)));
    const votes = await db
      .select({ vote: pollVotes, poll: polls })
      .from(pollVotes)
      .innerJoin(polls, eq(polls.id, pollVotes.pollId))
      .where(or(eq(pollVotes.memberId, member.id), eq(pollVotes.voterKey, `m:${member.id}`)));
    const off = await db.select().from(optOuts).where(eq(optOuts.memberId, member.id));
    const names = await groupNames(
      db,
      [...started, ...votes.map((v) => v.poll), ...off].map((r) => r.groupId),
    );
    return [
      {
        table: 'polls',
        title: 'Polls you started or closed',
        rows: started.map((p) => ({
          group: names.get(p.groupId),
          poll: p.code,
          question: p.question,
          startedByYou: p.createdBy === member.id,
          closedByYou: p.closedBy === member.id,
          started: iso(p.createdAt),
        })),
      },
      {
        table: 'poll_votes',
        title: 'Your votes',
        noteEvenIfEmpty: true,
        note: 'Your votes in anonymous polls are not here. copro keeps them so that nobody can tell whose they are. So copro cannot find yours either.',
        rows: votes.map(({ vote, poll }) => ({
          group: names.get(poll.groupId),
          poll: poll.code,
          question: poll.question,
          choices: vote.choices.map((i) => poll.options[i] ?? `answer ${i + 1}`),
          ranked: poll.mode === 'ranked',
          votedAt: iso(vote.createdAt),
          changedAt: iso(vote.updatedAt),
        })),
      },
      {
        table: 'poll_reminder_opt_outs',
        title: 'Poll reminders you turned off',
        rows: off.map((o) => ({ group: names.get(o.groupId), since: iso(o.createdAt) })),
      },
    ];
  },
  async erase({ tx, member, voterSecret }) {
    // In a closed poll each vote stays in the counts, under a random key nobody can trace back.
    // In an open poll it is taken back: kept under a random key, it would let the same person,
    // back as someone new, vote again beside it.
    const mine = or(eq(pollVotes.memberId, member.id), eq(pollVotes.voterKey, `m:${member.id}`));
    const open = await tx
      .select({ id: polls.id, anonymous: polls.anonymous, createdAt: polls.createdAt })
      .from(polls)
      .where(eq(polls.status, 'open'));
    const keys = open.flatMap((p) => {
      if (!p.anonymous) return [`m:${member.id}`];
      return voterSecret ? [voterKeys({ ...p, anonymous: true }, voterSecret)(member.id)] : [];
    });
    const openIds = open.map((p) => p.id);
    if (openIds.length > 0 && keys.length > 0) {
      const taken = await tx
        .delete(pollVotes)
        .where(and(inArray(pollVotes.pollId, openIds), or(mine, inArray(pollVotes.voterKey, keys))))
        .returning({ pollId: pollVotes.pollId });
      for (const pollId of new Set(taken.map((t) => t.pollId))) await markStale(tx, `poll:${pollId}`);
    }
    await tx
      .update(pollVotes)
      .set({ memberId: null, voterKey: sql`'erased:' || gen_random_uuid()` })
      .where(mine);
    await tx.update(polls).set({ createdBy: null }).where(eq(polls.createdBy, member.id));
    await tx.update(polls).set({ closedBy: null }).where(eq(polls.closedBy, member.id));
    await tx.delete(optOuts).where(eq(optOuts.memberId, member.id));
  },
  forgetting: {
    goes: 'which way you voted in ordinary polls, and your poll reminder choice',
    stays:
      'your votes in closed polls are still counted in the results, without your name; your votes in polls still open are taken back',
  },
};
