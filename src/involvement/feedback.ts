/**
 * "You said, we did": what members raise, and what came of it. Items come from /copro feedback
 * (and, through `raiseFeedback`, from agenda items and poll results). Closing one tells each
 * person who raised it, privately, and nobody else.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import type { GroupRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/outbox.js';
import { plural, quoted } from '../text.js';
import { daysBetween } from './days.js';

export type FeedbackRow = typeof schema.feedbackItems.$inferSelect;
const { feedbackItems: items, feedbackRaisers: raisers } = schema;

export const feedbackCode = (row: { readonly id: number }): string => `F${row.id}`;

export interface NewFeedback {
  readonly groupId: number;
  readonly source: FeedbackRow['source'];
  /** Made once per source, e.g. "agenda:12" or "poll:4". */
  readonly sourceKey?: string;
  readonly text: string;
  readonly raisedBy: readonly number[];
  readonly now: Date;
}

/** Add an item (or, for a source already raised, add its raisers to the existing one). */
export async function raiseFeedback(db: Db | Tx, input: NewFeedback): Promise<FeedbackRow> {
  const [created] = await db
    .insert(items)
    .values({
      groupId: input.groupId,
      source: input.source,
      sourceKey: input.sourceKey,
      text: input.text,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning();
  const row =
    created ??
    (
      await db
        .select()
        .from(items)
        .where(and(eq(items.groupId, input.groupId), eq(items.sourceKey, input.sourceKey ?? '')))
    )[0];
  if (!row) throw new Error('a feedback item was neither made nor found');
  if (input.raisedBy.length > 0)
    await db
      .insert(raisers)
      .values(input.raisedBy.map((memberId) => ({ feedbackId: row.id, memberId })))
      .onConflictDoNothing();
  return row;
}

async function newFeedback(ctx: ContextOf<'feedback.new'>): Promise<Reply> {
  const text = ctx.args.text.trim();
  const row = await raiseFeedback(ctx.deps.db, {
    groupId: ctx.group.id,
    source: 'member',
    text,
    raisedBy: [ctx.member.id],
    now: ctx.deps.clock.now(),
  });
  return privately(
    `Thank you. Your feedback is recorded as ${feedbackCode(row)}. The coordinators will look at it, and you will be told privately what changed because of it (or why not).`,
  );
}

/** "F3", "3" or "#F3", also with the full stop copied from "… recorded as F3."; else refused. */
function readCode(raw: string): number {
  const m = /^#?F?(\d{1,9})[.,;:]?$/i.exec(raw.trim());
  if (!m?.[1])
    throw new UserError(
      'bad_feedback',
      `"${literal(raw.slice(0, 20))}" is not a feedback number. They look like F3.`,
    );
  return Number(m[1]);
}

async function raiserCounts(db: Db | Tx, ids: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (ids.length === 0) return counts;
  const rows = await db
    .select()
    .from(raisers)
    .where(inArray(raisers.feedbackId, [...ids]));
  for (const r of rows) counts.set(r.feedbackId, (counts.get(r.feedbackId) ?? 0) + 1);
  return counts;
}

async function listFeedback(ctx: ContextOf<'feedback.list'>): Promise<Reply> {
  const { db } = ctx.deps;
  const now = ctx.deps.clock.now();
  const open = await db
    .select()
    .from(items)
    .where(and(eq(items.groupId, ctx.group.id), eq(items.status, 'open')))
    .orderBy(asc(items.createdAt), asc(items.id));
  const closed = await db
    .select()
    .from(items)
    .where(and(eq(items.groupId, ctx.group.id), eq(items.status, 'closed')))
    .orderBy(desc(items.closedAt))
    .limit(5);
  const counts = await raiserCounts(
    db,
    open.map((o) => o.id),
  );
  const lines = [
    open.length === 0
      ? 'No feedback is waiting for an answer.'
      : `Waiting for an answer (${open.length}), oldest first:`,
    ...open.map(
      (o) =>
        `- ${feedbackCode(o)}, ${age(daysBetween(o.createdAt, now))}, from ${plural(counts.get(o.id) ?? 0, 'person', 'people')}: ${quoted(o.text)}`,
    ),
    ...(closed.length > 0 ? ['Recently closed:'] : []),
    ...closed.map((c) => `- ${feedbackCode(c)} ${quoted(c.text)}: ${outcomeWords(c)}`),
    // The example names one that is waiting: people copy it as it stands.
    ...(open[0]
      ? [
          `To close one: /copro feedback close ${feedbackCode(open[0])} "what changed and why" (add --unchanged if nothing did, and say why).`,
        ]
      : []),
  ];
  return privately(lines.join('\n'));
}

/** "raised today", "3 days old". */
function age(days: number): string {
  return days === 0 ? 'raised today' : `${plural(days, 'day')} old`;
}

export function outcomeWords(row: FeedbackRow): string {
  const said = quoted(row.outcomeText ?? '');
  return row.outcome === 'unchanged' ? `not changed, because ${said}` : `we did: ${said}`;
}

/**
 * What the people behind an item did: said it, or (an item made from a closed poll, whose text
 * is the poll's question) voted on it. Nobody "said" a question someone else asked.
 */
export function raisedWords(row: Pick<FeedbackRow, 'source' | 'text'>): string {
  return row.source === 'poll' ? `You voted on ${quoted(row.text)}` : `You said ${quoted(row.text)}`;
}

/** The private message to each person who raised an item, once it is closed. */
export function closingMessage(group: GroupRow, row: FeedbackRow): string {
  const head =
    row.source === 'poll'
      ? `${raisedWords(row)} (${literal(group.name)}, ${feedbackCode(row)}).`
      : `You said: ${quoted(row.text)} (${literal(group.name)}, ${feedbackCode(row)}).`;
  return row.outcome === 'unchanged'
    ? `${head}\nThe group decided not to change this, because: ${quoted(row.outcomeText ?? '')}. Thank you for raising it.`
    : `${head}\nWe did: ${quoted(row.outcomeText ?? '')}. Thank you: this changed because of your input.`;
}

async function closeFeedback(ctx: ContextOf<'feedback.close'>): Promise<Reply> {
  const { deps, group } = ctx;
  const id = readCode(ctx.args.item);
  const now = deps.clock.now();
  const outcomeText = ctx.args.outcome.trim();
  const result = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(items)
      .set({
        status: 'closed',
        outcome: ctx.args.unchanged ? 'unchanged' : 'changed',
        outcomeText,
        closedAt: now,
        closedBy: ctx.member.id,
      })
      .where(and(eq(items.groupId, group.id), eq(items.id, id), eq(items.status, 'open')))
      .returning();
    if (!row) return undefined;
    const who = await tx
      .select({ member: schema.members })
      .from(raisers)
      .innerJoin(schema.members, eq(schema.members.id, raisers.memberId))
      .where(eq(raisers.feedbackId, row.id));
    for (const { member } of who)
      await enqueueMessage(tx, now, {
        purpose: `feedback:${row.id}:closed`,
        platform: group.platform,
        destination: { kind: 'dm', userId: member.userId, workspaceId: group.workspaceId },
        message: { text: closingMessage(group, row) },
        groupId: group.id,
      });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'feedback.close',
      details: { feedback: row.id, outcome: row.outcome },
      at: now,
    });
    return { row, told: who.length };
  });
  if (!result) {
    const [existing] = await deps.db
      .select()
      .from(items)
      .where(and(eq(items.groupId, group.id), eq(items.id, id)));
    throw new UserError(
      existing ? 'already_closed' : 'no_feedback',
      existing
        ? `${feedbackCode(existing)} is already closed. Nothing changed.`
        : `There is no feedback F${id} in this group. /copro feedback list shows the open ones.`,
    );
  }
  await deps.outbox?.flush();
  return privately(
    `${feedbackCode(result.row)} is closed. ${toldWords(result.told)} It will be in the weekly digest and the report.`,
  );
}

/** Who hears that their feedback was closed, as a sentence. */
function toldWords(told: number): string {
  if (told === 0) return 'Nobody is named as raising it, so nobody is told privately.';
  if (told === 1) return 'The person who raised it is told privately.';
  return `The ${told} people who raised it are told privately.`;
}

export const feedbackCommands = {
  'feedback.new': newFeedback,
  'feedback.list': listFeedback,
  'feedback.close': closeFeedback,
} as const;
