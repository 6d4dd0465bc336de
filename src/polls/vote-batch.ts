import { and, eq, sql } from 'drizzle-orm';
import { inTransaction, schema, type Tx } from '../../db/client.js';
import { oneOf, rowsOf } from '../../db/rows.js';
import { textMessage } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import { UserError } from '../errors.js';
import type { ActionBatch, ActionContext } from '../features.js';
import { groupMembersAmong } from '../groups/membership.js';
import type { GroupRow } from '../groups/types.js';
import { markStale } from '../jobs/index.js';
import { inWorkspaceOf, isPollMessageOf, optionIndex, pollMessages } from './access.js';
import { describeChoice } from './actions.js';
import { redrawOnceCommitted } from './refresh.js';
import { type PollRow, pollPurpose } from './store.js';
import { voterKeys } from './voter-key.js';
import { nextChoices } from './votes.js';

const { pollVotes } = schema;

/** A vote button's value: the poll's code and the option, "PABC:2". */
const parse = (value: string) => /^([^:]*):([^:]*)$/.exec(value) ?? [];

/**
 * Many people voting on one poll at once (it has just been posted in a busy channel): their
 * clicks are counted together, in one transaction of a dozen statements whatever their number,
 * rather than a dozen each. Each click is checked as pollForClick checks one, and counted as
 * castVote counts one, under the poll's shared lock.
 *
 * What is unusual is left to the button's own handler, one click at a time, which answers it as
 * it always has: a click that would be refused (not a member, not the poll's message, an unknown
 * option, a closed poll), the same person twice, and every vote on an anonymous poll (each of those
 * rewrites all its ballots, alone, so that nothing in the table tells who voted when).
 */
export const pollVoteBatch: ActionBatch = {
  key(event) {
    const [, code] = parse(event.value);
    return code || undefined;
  },

  // Its caller's transaction: the clicks' records commit with their votes.
  runMany: (deps, clicks) => inTransaction(deps.db, (tx) => countTogether(deps, tx, clicks)),
};

async function countTogether(
  deps: FeatureDeps,
  tx: Tx,
  clicks: readonly ActionContext[],
): Promise<readonly ActionContext[]> {
  // Statements that do not wait for each other's answers are sent together (one round trip each
  // time, on a busy machine the larger part of a vote's cost).
  const [first] = clicks;
  const found = first && (await lockPollByCode(tx, parse(first.event.value)[1] ?? ''));
  if (!found || found.poll.anonymous || found.poll.mode === 'ranked' || found.poll.status !== 'open')
    return clicks;
  const { poll, group } = found;
  const keyOf = voterKeys(poll, deps.voterSecret);
  const sameWorkspace = clicks.filter((ctx) => inWorkspaceOf(group, ctx.actor));
  const [messages, members, had] = await Promise.all([
    pollMessages(tx, poll),
    groupMembersAmong({ ...deps, db: tx }, group, sameWorkspace),
    poll.mode === 'multi'
      ? ballotsOf(
          tx,
          poll.id,
          sameWorkspace.map((ctx) => keyOf(ctx.member.id)),
        )
      : undefined,
  ]);
  const left: ActionContext[] = [];
  const seen = new Set<number>();
  const votes: { ctx: ActionContext; choices: number[]; key: string }[] = [];
  for (const ctx of clicks) {
    const option = optionIndex(parse(ctx.event.value)[2], poll.options.length);
    const fits =
      option !== undefined &&
      !seen.has(ctx.member.id) &&
      inWorkspaceOf(group, ctx.actor) &&
      isPollMessageOf(messages, ctx.actor, ctx.event.message) &&
      members.has(ctx.member.id);
    seen.add(ctx.member.id);
    if (!fits) {
      left.push(ctx);
      continue;
    }
    const key = keyOf(ctx.member.id);
    try {
      votes.push({ ctx, key, choices: nextChoices(poll, had?.get(key) ?? [], { kind: 'pick', option }) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      left.push(ctx);
    }
  }
  if (votes.length === 0) return clicks;
  await Promise.all([write(tx, deps.clock.now(), poll, votes, had), markStale(tx, pollPurpose(poll))]);
  for (const { ctx, choices } of votes)
    await ctx.event.reply(textMessage(describeChoice(poll, choices)), { private: true });
  // Asked for even when the message was out of date already: its drawing may have been lost with
  // a process that stopped (SIGKILL within 200 ms of a vote). Drawings are spread out
  // (refresh.ts), so asking again costs little.
  await redrawOnceCommitted(deps, poll.id);
  return left;
}

/**
 * The poll with this code and its group, the poll locked as castVote locks it (shared: votes on
 * an open poll go side by side; a close, or the message being drawn, waits for them).
 */
async function lockPollByCode(tx: Tx, code: string): Promise<{ poll: PollRow; group: GroupRow } | undefined> {
  if (!/^P[A-Z0-9]{3,8}$/.test(code)) return undefined;
  const [found] = await tx
    .select({ poll: schema.polls, group: schema.groups })
    .from(schema.polls)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.polls.groupId))
    .where(eq(schema.polls.code, code))
    .for('share', { of: schema.polls });
  return found;
}

/** What these voters have chosen so far, by voter key (a multiple choice adds to it). */
async function ballotsOf(tx: Tx, pollId: number, keys: readonly string[]): Promise<Map<string, number[]>> {
  if (keys.length === 0) return new Map();
  const rows = await tx
    .select({ key: pollVotes.voterKey, choices: pollVotes.choices })
    .from(pollVotes)
    .where(and(eq(pollVotes.pollId, pollId), oneOf(pollVotes.voterKey, keys)));
  return new Map(rows.map((row) => [row.key, row.choices]));
}

/** Write the ballots: new or changed in one statement, taken back in another. */
async function write(
  tx: Tx,
  now: Date,
  poll: PollRow,
  votes: readonly { ctx: ActionContext; choices: number[]; key: string }[],
  had: ReadonlyMap<string, number[]> | undefined,
): Promise<void> {
  const kept = votes.filter((v) => v.choices.length > 0);
  const takenBack = votes.filter((v) => v.choices.length === 0 && had?.has(v.key)).map((v) => v.key);
  await Promise.all([
    kept.length > 0 &&
      tx
        .insert(pollVotes)
        .select(
          rowsOf(
            pollVotes,
            kept.map((v) => ({
              pollId: poll.id,
              voterKey: v.key,
              memberId: v.ctx.member.id,
              choices: v.choices,
              createdAt: now,
              updatedAt: now,
            })),
          ),
        )
        .onConflictDoUpdate({
          target: [pollVotes.pollId, pollVotes.voterKey],
          set: { choices: sql`excluded.choices`, updatedAt: sql`excluded.updated_at` },
        }),
    takenBack.length > 0 &&
      tx.delete(pollVotes).where(and(eq(pollVotes.pollId, poll.id), oneOf(pollVotes.voterKey, takenBack))),
  ]);
}
