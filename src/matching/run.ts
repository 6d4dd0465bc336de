/**
 * Running a peer round for real: plan it from what the database holds, then, in one
 * transaction, record the round, queue every introduction and kind word in the outbox, and
 * schedule the follow-up a week later. A crash before the commit sends nothing; after it,
 * everything is delivered.
 */
import { eq, max } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { AppDeps } from '../deps.js';
import type { GroupRow } from '../groups/types.js';
import { enqueueMessage, scheduleJob } from '../jobs/index.js';
import { listOf, mention } from '../text.js';
import { countRepeats } from './check.js';
import { restoreKeptRules } from './kept-rules.js';
import { planRound } from './round.js';
import { REPEAT_WINDOW } from './scoring.js';
import { peerCandidates, type RoundMember, recentRounds, rulesOf } from './store.js';
import type { PlannedGroup, RoundPlan } from './types.js';

export const FOLLOW_UP_KIND = 'match.follow-up';
export const FOLLOW_UP_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** The follow-up job of a round: one per round, so it is asked once. */
export const followUpKey = (roundId: number) => `match:follow-up:${roundId}`;

export type GroupSize = 2 | 3 | 4;

export interface LoadedRound {
  readonly plan: RoundPlan;
  readonly people: ReadonlyMap<string, RoundMember>;
  readonly groupSize: GroupSize;
  /** How many fewer repeated pairs than the same round planned without looking at past rounds. */
  readonly repeatsAvoided: number;
}

export async function loadRound(
  db: Db | Tx,
  group: GroupRow,
  now: Date,
  groupSize: GroupSize = 2,
  secret?: Buffer,
): Promise<LoadedRound> {
  await restoreKeptRules(db, group, secret);
  const { candidates, people } = await peerCandidates(db, group, now);
  const rules = await rulesOf(db, group.id);
  const history = await recentRounds(db, group.id, REPEAT_WINDOW);
  const input = { members: candidates, at: now, rules, groupSize, seed: history.length };
  const plan = planRound({ ...input, history });
  // The same round planned as if nobody had met before: the repeats it would have made.
  const blind = history.length > 0 ? countRepeats(planRound(input).groups, history) : 0;
  return { plan, people, groupSize, repeatsAvoided: Math.max(0, blind - plan.repeats) };
}

/**
 * Why a round made no pair: too few people, or rules that allow no pair among those there are.
 * Said the same whichever rules did it, so it never gives away anyone's private choice.
 */
export function nobodyPaired(taking: number): string {
  if (taking < 2) {
    return 'Nobody can be paired yet: at least two members need to take part, and not be paused. Members join in with /copro buddy opt-in.';
  }
  return (
    `No pair could be made from the ${taking} members taking part, with the current rules: ` +
    "pairs a coordinator said should never meet, and members' private choices of who not to be paired with. " +
    'Nothing was sent. As more members opt in, pairs become possible again.'
  );
}

function introduction(group: GroupRow, g: PlannedGroup, people: ReadonlyMap<string, RoundMember>): Message {
  const who = g.members.map((id) => people.get(id)!);
  const names = listOf(who.map((m) => `${m.displayName} (${mention(m)})`));
  const interests = [...new Set(g.reasons.flatMap((r) => r.parts.sharedInterests))];
  const lines = [
    `Hello! This round of ${literal(group.name)} peer buddies puts you together: ${names}.`,
    interests.length > 0 ? `You share an interest in ${listOf(interests)}.` : '',
    `A suggested first step: a 20-minute call or chat this week, at a time that suits ${who.length > 2 ? 'you all' : 'you both'}.`,
    'I will check in a week from now. To take a break from pairing, type /copro buddy pause 4w.',
  ].filter(Boolean);
  const text = lines.join('\n');
  return { text, blocks: [{ type: 'text', text }] };
}

function kindWord(group: GroupRow, reason: RoundPlan['unmatched'][number]['reason']): Message {
  const why =
    reason === 'odd-one-out'
      ? 'This time the numbers did not work out, so you were not paired.'
      : 'This time there was nobody you could be paired with.';
  const text =
    `${why} That is nothing you did. You will be included in the next round of ${literal(group.name)} peer buddies, ` +
    'and a coordinator can pair you in the meantime if you would like.';
  return { text, blocks: [{ type: 'text', text }] };
}

/** Record the round and queue its messages, in one transaction; returns the round's number. */
export async function sendRound(
  deps: AppDeps,
  group: GroupRow,
  loaded: LoadedRound,
  now: Date,
): Promise<number> {
  return deps.db.transaction((tx) => recordRound(tx, group, loaded, now));
}

/** Record the round and queue its messages in the caller's transaction; returns its number. */
export async function recordRound(tx: Tx, group: GroupRow, loaded: LoadedRound, now: Date): Promise<number> {
  const { plan, people } = loaded;
  // One round at a time per group: a scheduled round and one run by hand cannot take one number.
  await tx
    .select({ id: schema.groups.id })
    .from(schema.groups)
    .where(eq(schema.groups.id, group.id))
    .for('update');
  const [last] = await tx
    .select({ n: max(schema.matchRounds.number) })
    .from(schema.matchRounds)
    .where(eq(schema.matchRounds.groupId, group.id));
  const number = (last?.n ?? 0) + 1;
  const [round] = await tx
    .insert(schema.matchRounds)
    .values({
      groupId: group.id,
      number,
      ranAt: now,
      unmatchedCount: plan.unmatched.length,
      repeats: plan.repeats,
      repeatsAvoided: loaded.repeatsAvoided,
      groupSize: loaded.groupSize,
    })
    .returning();
  for (const g of plan.groups) {
    const [row] = await tx
      .insert(schema.matchGroups)
      .values({ roundId: round!.id, memberIds: g.members.map(Number), size: g.members.length })
      .returning();
    const who = g.members.map((id) => people.get(id)!);
    await enqueueMessage(tx, now, {
      purpose: `match:intro:${row!.id}`,
      platform: group.platform,
      destination: { kind: 'groupDm', userIds: who.map((m) => m.userId), workspaceId: group.workspaceId },
      message: introduction(group, g, people),
      groupId: group.id,
    });
  }
  for (const u of plan.unmatched) {
    const m = people.get(u.id)!;
    await enqueueMessage(tx, now, {
      purpose: `match:unmatched:${round!.id}`,
      platform: group.platform,
      destination: { kind: 'dm', userId: m.userId, workspaceId: group.workspaceId },
      message: kindWord(group, u.reason),
      groupId: group.id,
    });
  }
  await scheduleJob(tx, {
    kind: FOLLOW_UP_KIND,
    key: followUpKey(round!.id),
    runAt: new Date(now.getTime() + FOLLOW_UP_AFTER_MS),
    payload: { roundId: round!.id },
    groupId: group.id,
  });
  return number;
}
