import { and, desc, eq } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import { UserError } from '../errors.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { lockOpenPoll, type PollRow, refreshPollMessage, votingRoles } from './store.js';
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
}

/**
 * Record or change a vote, and queue the updated poll message, in one transaction. The poll row
 * is share-locked, so a vote and a close cannot cross: a vote either counts or is refused.
 */
export async function castVote(
  db: Db,
  input: {
    group: GroupRow;
    pollId: number;
    member: MemberRow;
    vote: VoteInput;
    now: Date;
    encryptionKey?: Buffer;
  },
): Promise<VoteResult> {
  return db.transaction(async (tx) => {
    // Read before taking the poll's lock: votes on one poll wait for each other, so the less
    // work done while holding it, the sooner the next vote counts.
    const roles = await votingRoles(tx, input.group.id, input.member.id);
    const poll = await lockOpenPoll(tx, input.pollId);
    const key = (await voterKeys(tx, poll, input.encryptionKey))(input.member.id);
    const [existing] = await tx
      .select()
      .from(pollVotes)
      .where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.voterKey, key)))
      .for('update');
    const choices = nextChoices(poll, existing?.choices ?? [], input.vote);
    // An anonymous vote carries no time of its own: a click's time could point to the person.
    const stamp = poll.anonymous ? poll.createdAt : input.now;
    if (choices.length === 0) {
      if (existing) await tx.delete(pollVotes).where(eq(pollVotes.id, existing.id));
    } else {
      await tx
        .insert(pollVotes)
        .values({
          pollId: poll.id,
          voterKey: key,
          memberId: poll.anonymous ? null : input.member.id,
          choices,
          roles,
          createdAt: stamp,
          updatedAt: stamp,
        })
        .onConflictDoUpdate({
          target: [pollVotes.pollId, pollVotes.voterKey],
          set: { choices, roles, updatedAt: stamp },
        });
    }
    await refreshPollMessage(tx, input.group, poll, input.now);
    return { poll, choices };
  });
}

function nextChoices(poll: PollRow, current: readonly number[], vote: VoteInput): number[] {
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

/** The vote this member has on a poll, if any (their own only: anonymous keys included). */
export async function myVote(
  db: Db,
  poll: PollRow,
  memberId: number,
  encryptionKey: Buffer | undefined,
): Promise<readonly number[] | undefined> {
  const keyOf = await voterKeys(db, poll, encryptionKey);
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
  encryptionKey: Buffer | undefined,
): Promise<OpenPollForMember[]> {
  const open = await db
    .select()
    .from(schema.polls)
    .where(and(eq(schema.polls.groupId, groupId), eq(schema.polls.status, 'open')))
    .orderBy(desc(schema.polls.createdAt));
  const out: OpenPollForMember[] = [];
  for (const poll of open) out.push({ poll, mine: await myVote(db, poll, memberId, encryptionKey) });
  return out;
}
