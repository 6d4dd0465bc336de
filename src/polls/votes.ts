import { and, desc, eq } from 'drizzle-orm';
import { type Db, inTransaction, schema, type Tx } from '../../db/client.js';
import { UserError } from '../errors.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { markStale } from '../jobs/index.js';
import { lockOpenPoll, type PollRow, pollPurpose } from './store.js';
import { cleanChoices } from './tally.js';
import { voterKeys } from './voter-key.js';

const { pollVotes } = schema;

export type VoteInput =
  | { readonly kind: 'pick'; readonly option: number } // a button: single or multi choice
  | { readonly kind: 'rank'; readonly ranking: readonly number[] }; // a ranked form

export interface VoteResult {
  readonly poll: PollRow;
  /** What the person has chosen now: empty when they took back their last choice. */
  readonly choices: readonly number[];
  /** This vote marked the poll message out of date: the caller renders it (refreshStalePoll). */
  readonly mustRefresh: boolean;
}

/**
 * Record or change a vote in one short transaction. The poll message is not counted and drawn
 * again here: that would hold the poll's lock while every ballot is read, once per vote. The vote
 * only marks the message out of date (markStale); the first vote to do so draws it once it has
 * committed, counting every vote in by then, and a sweep does if that one never gets to it.
 *
 * The poll row is locked, so a vote and a close cannot cross: a vote either counts or is refused.
 * Votes on an open poll share the lock; an anonymous poll's votes take it alone, since each
 * rewrites all of its ballots.
 */
export async function castVote(
  db: Db,
  input: {
    group: GroupRow;
    pollId: number;
    anonymous: boolean;
    member: MemberRow;
    vote: VoteInput;
    now: Date;
    secret: Buffer | undefined;
  },
): Promise<VoteResult> {
  return inTransaction(db, async (tx) => {
    // Whether a poll is anonymous never changes, so the caller's earlier read of it holds.
    const poll = await lockOpenPoll(tx, input.pollId, input.anonymous ? 'no key update' : 'share');
    const key = voterKeys(poll, input.secret)(input.member.id);
    // A single choice replaces whatever was there, so only a multiple choice reads it first.
    const [existing] =
      poll.mode === 'multi'
        ? await tx
            .select()
            .from(pollVotes)
            .where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.voterKey, key)))
        : [];
    const choices = nextChoices(poll, existing?.choices ?? [], input.vote);
    if (poll.anonymous) await rewriteBallots(tx, poll, key, choices);
    else if (choices.length === 0) {
      if (existing)
        await tx.delete(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.voterKey, key)));
    } else {
      await tx
        .insert(pollVotes)
        .values({
          pollId: poll.id,
          voterKey: key,
          memberId: input.member.id,
          choices,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .onConflictDoUpdate({
          target: [pollVotes.pollId, pollVotes.voterKey],
          set: { choices, updatedAt: input.now },
        });
    }
    const mustRefresh = await markStale(tx, pollPurpose(poll));
    return { poll, choices, mustRefresh };
  });
}

/**
 * An anonymous poll's ballots are written again, all of them, on every vote: in the order of
 * their keys, with the poll's own time, in this one transaction. So neither where a ballot sits
 * in the table nor the transaction that wrote it says when it was cast, or who cast it before
 * whom; only the set of ballots changes.
 */
async function rewriteBallots(tx: Tx, poll: PollRow, key: string, choices: number[]): Promise<void> {
  const others = (await tx.delete(pollVotes).where(eq(pollVotes.pollId, poll.id)).returning()).filter(
    (b) => b.voterKey !== key,
  );
  const ballots = [...others.map((b) => ({ key: b.voterKey, choices: b.choices })), { key, choices }]
    .filter((b) => b.choices.length > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (ballots.length === 0) return;
  await tx.insert(pollVotes).values(
    ballots.map((b) => ({
      pollId: poll.id,
      voterKey: b.key,
      memberId: null,
      choices: b.choices,
      createdAt: poll.createdAt,
      updatedAt: poll.createdAt,
    })),
  );
}

/** What the person has chosen once this vote is counted, given what they had; refuses a vote that does not fit the poll. */
export function nextChoices(poll: PollRow, current: readonly number[], vote: VoteInput): number[] {
  const n = poll.options.length;
  if (vote.kind === 'rank') {
    if (poll.mode !== 'ranked')
      throw new UserError('wrong_vote', 'This poll is not ranked: choose with the buttons.');
    const ranking = cleanChoices(vote.ranking, n);
    if (ranking.length === 0)
      throw new UserError('empty_ranking', 'Please choose at least your first priority.');
    return ranking;
  }
  if (!Number.isInteger(vote.option) || vote.option < 0 || vote.option >= n) {
    throw new UserError('unknown_option', 'That answer is not part of this poll. Nothing was recorded.');
  }
  if (poll.mode === 'ranked') {
    throw new UserError('wrong_vote', 'This poll is ranked: press "Rank the options" to put them in order.');
  }
  if (poll.mode === 'single') return [vote.option];
  return current.includes(vote.option)
    ? current.filter((c) => c !== vote.option)
    : [...current, vote.option].sort((a, b) => a - b);
}

/**
 * The vote this member has on a poll, if any (their own only: anonymous keys included). Undefined
 * too for an anonymous poll when the secret is missing: copro cannot tell then.
 */
export async function myVote(
  db: Db,
  poll: PollRow,
  memberId: number,
  secret: Buffer | undefined,
): Promise<readonly number[] | undefined> {
  if (poll.anonymous && !secret) return undefined;
  const keyOf = voterKeys(poll, secret);
  const [row] = await db
    .select({ choices: pollVotes.choices })
    .from(pollVotes)
    .where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.voterKey, keyOf(memberId))));
  return row?.choices;
}

export interface OpenPollForMember {
  readonly poll: PollRow;
  /** Their own vote; undefined when they have not voted. */
  readonly mine: readonly number[] | undefined;
}

/** A group's open polls, newest first, each with this member's own vote: what they still owe. */
export async function openPollsFor(
  db: Db,
  groupId: number,
  memberId: number,
  secret: Buffer | undefined,
): Promise<OpenPollForMember[]> {
  const open = await db
    .select()
    .from(schema.polls)
    .where(and(eq(schema.polls.groupId, groupId), eq(schema.polls.status, 'open')))
    .orderBy(desc(schema.polls.createdAt));
  const out: OpenPollForMember[] = [];
  for (const poll of open) out.push({ poll, mine: await myVote(db, poll, memberId, secret) });
  return out;
}
