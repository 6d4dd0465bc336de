import { and, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Destination } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { cancelJobs, scheduleJob, upsertMessage } from '../jobs/index.js';
import { normaliseCode, pollCode } from './codes.js';
import { pollMessage } from './render.js';
import type { Ballot, PollMode } from './tally.js';
import { voterKeys } from './voter-key.js';

export type PollRow = typeof schema.polls.$inferSelect;
const { polls, pollVotes, groupMembers, roleAssignments } = schema;

export const DAY_MS = 24 * 60 * 60 * 1000;
export const pollPurpose = (poll: Pick<PollRow, 'id'>) => `poll:${poll.id}`;
export const closeJobKey = (poll: Pick<PollRow, 'id'>) => `poll.close:${poll.id}`;
export const reminderJobKey = (poll: Pick<PollRow, 'id'>) => `poll.remind:${poll.id}`;

export function channelOf(group: GroupRow, poll: Pick<PollRow, 'channelId'>): Destination {
  return { kind: 'channel', channelId: poll.channelId, workspaceId: group.workspaceId };
}

export interface NewPoll {
  readonly group: GroupRow;
  readonly creator: MemberRow;
  readonly question: string;
  readonly options: readonly string[];
  readonly mode: PollMode;
  readonly anonymous: boolean;
  readonly hideResults: boolean;
  readonly channelId: string;
  readonly closesAt?: Date;
  readonly now: Date;
}

/**
 * Open a poll: the row, its close and reminder jobs, and the channel message, in one
 * transaction, so a poll never exists without the job that closes it.
 */
export async function createPoll(db: Db, input: NewPoll): Promise<PollRow> {
  return db.transaction(async (tx) => {
    let poll: PollRow | undefined;
    for (let attempt = 0; !poll && attempt < 8; attempt++) {
      [poll] = await tx
        .insert(polls)
        .values({
          code: pollCode(attempt < 4 ? 3 : 4),
          groupId: input.group.id,
          createdBy: input.creator.id,
          question: input.question,
          options: [...input.options],
          mode: input.mode,
          anonymous: input.anonymous,
          hideResults: input.hideResults,
          channelId: input.channelId,
          closesAt: input.closesAt ?? null,
          createdAt: input.now,
        })
        .onConflictDoNothing({ target: polls.code })
        .returning();
    }
    if (!poll) throw new Error('could not find a free poll code');
    if (poll.closesAt) {
      await scheduleJob(tx, {
        kind: 'poll.close',
        key: closeJobKey(poll),
        runAt: poll.closesAt,
        payload: { pollId: poll.id },
        groupId: input.group.id,
      });
      const remindAt = new Date(poll.closesAt.getTime() - DAY_MS);
      if (remindAt > input.now) {
        await scheduleJob(tx, {
          kind: 'poll.remind',
          key: reminderJobKey(poll),
          runAt: remindAt,
          expiresAt: poll.closesAt,
          payload: { pollId: poll.id },
          groupId: input.group.id,
        });
      }
    }
    await refreshPollMessage(tx, input.group, poll, input.now);
    return poll;
  });
}

export async function findPoll(db: Db | Tx, group: GroupRow, rawCode: string): Promise<PollRow> {
  const code = normaliseCode(rawCode);
  const [poll] = await db
    .select()
    .from(polls)
    .where(and(eq(polls.groupId, group.id), eq(polls.code, code)));
  if (!poll) {
    throw new UserError(
      'unknown_poll',
      `There is no poll ${code} in this group. Type /copro polls to see the open ones.`,
    );
  }
  return poll;
}

/** The choices on a poll's ballots, for counting: nothing about who cast them. */
export async function ballotsOf(db: Db | Tx, pollId: number): Promise<Ballot[]> {
  return db.select({ choices: pollVotes.choices }).from(pollVotes).where(eq(pollVotes.pollId, pollId));
}

/** The ballots of several polls in one query, by poll (a poll with none is absent). */
export async function ballotsOfPolls(
  db: Db | Tx,
  pollIds: readonly number[],
): Promise<Map<number, Ballot[]>> {
  const byPoll = new Map<number, Ballot[]>();
  if (pollIds.length === 0) return byPoll;
  const rows = await db
    .select({ pollId: pollVotes.pollId, choices: pollVotes.choices })
    .from(pollVotes)
    .where(inArray(pollVotes.pollId, [...pollIds]));
  for (const { pollId, choices } of rows) {
    const list = byPoll.get(pollId) ?? [];
    list.push({ choices });
    byPoll.set(pollId, list);
  }
  return byPoll;
}

/** Queue the poll's channel message with its current content; the outbox posts or edits it. */
export async function refreshPollMessage(tx: Tx, group: GroupRow, poll: PollRow, now: Date): Promise<void> {
  await upsertMessage(tx, now, {
    purpose: pollPurpose(poll),
    platform: group.platform,
    destination: channelOf(group, poll),
    message: pollMessage(poll, await ballotsOf(tx, poll.id), group.timezone),
    groupId: group.id,
  });
}

/** Current members of a group, for the participation rate and reminders. */
export async function eligibleMembers(db: Db | Tx, groupId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), isNull(groupMembers.leftAt)));
  return row?.n ?? 0;
}

/** Current members of several groups, by group, in one query (a group with none is absent). */
export async function eligibleMembersOf(
  db: Db | Tx,
  groupIds: readonly number[],
): Promise<Map<number, number>> {
  const rows = await db
    .select({ groupId: groupMembers.groupId, n: count() })
    .from(groupMembers)
    .where(and(inArray(groupMembers.groupId, [...groupIds]), isNull(groupMembers.leftAt)))
    .groupBy(groupMembers.groupId);
  return new Map(rows.map((r) => [r.groupId, r.n]));
}

/**
 * The ballots with their voters' roles now, for the per-role breakdown of a closing poll. No
 * role is stored on a ballot: an anonymous ballot is matched to the group's members here, through
 * the secret, and the match is kept nowhere. Ballots of people no longer known count only in the
 * total; without the secret, so do all of an anonymous poll's.
 */
export async function ballotsWithRoles(
  db: Db | Tx,
  poll: PollRow,
  secret: Buffer | undefined,
): Promise<Ballot[]> {
  const rows = await db
    .select({ key: pollVotes.voterKey, choices: pollVotes.choices })
    .from(pollVotes)
    .where(eq(pollVotes.pollId, poll.id));
  if (poll.anonymous && !secret) return rows.map((r) => ({ choices: r.choices }));
  const people = await db
    .select({ id: groupMembers.memberId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, poll.groupId));
  const held = await db
    .select({ memberId: roleAssignments.memberId, key: roleAssignments.roleKey })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.groupId, poll.groupId),
        isNull(roleAssignments.removedAt),
        ne(roleAssignments.roleKey, 'member'),
      ),
    );
  const keyOf = voterKeys(poll, secret);
  const rolesByKey = new Map(
    people.map((p) => [keyOf(p.id), held.filter((h) => h.memberId === p.id).map((h) => h.key)]),
  );
  return rows.map((r) => ({ choices: r.choices, roles: rolesByKey.get(r.key) ?? [] }));
}

/**
 * Lock a poll row while a vote is recorded, and check it is still open. The lock is exclusive so
 * votes on one poll take turns: each then counts every vote committed before it, and the last
 * message queued always shows the full tally. A close waits for the vote, or the vote sees it.
 */
export async function lockOpenPoll(
  tx: Tx,
  pollId: number,
  mode: 'share' | 'no key update' = 'no key update',
): Promise<PollRow> {
  const [poll] = await tx.select().from(polls).where(eq(polls.id, pollId)).for(mode);
  if (!poll) throw new UserError('unknown_poll', 'That poll no longer exists.');
  if (poll.status !== 'open') {
    throw new UserError(
      'poll_closed',
      `Poll ${poll.code} has closed, so it takes no new votes or changes. Nothing was recorded.`,
    );
  }
  return poll;
}

/** Close a poll once. Returns the closed row, or undefined if it was already closed. */
export async function markClosed(
  tx: Tx,
  poll: PollRow,
  now: Date,
  by: MemberRow | undefined,
): Promise<PollRow | undefined> {
  const eligible = await eligibleMembers(tx, poll.groupId);
  const [closed] = await tx
    .update(polls)
    .set({ status: 'closed', closedAt: now, closedBy: by?.id ?? null, eligibleAtClose: eligible })
    .where(and(eq(polls.id, poll.id), eq(polls.status, 'open')))
    .returning();
  if (closed) {
    await cancelJobs(tx, now, { key: reminderJobKey(poll) });
    if (by) await cancelJobs(tx, now, { key: closeJobKey(poll) });
  }
  return closed;
}
