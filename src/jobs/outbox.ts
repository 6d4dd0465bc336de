/**
 * The outbox: how background work says something to people.
 *
 * Why: a job that changes the database and also posts a message must not do one without the
 * other. So the message is written as a row in the same transaction as the change; if the
 * transaction rolls back (a crash, a thrown error) the message never existed, and if it commits
 * the dispatcher will deliver it, however long the platform is down.
 *
 * Idempotency lives in the unique (purpose, recipient) pair. `purpose` names why the message
 * exists ("digest:12:2026-11-23", "poll:44"), so re-running the same work cannot send twice:
 * - enqueueMessage: the first content wins; enqueueing again is a no-op (notes, digests).
 * - upsertMessage:  the latest content wins; if the message was already delivered, the
 *   dispatcher edits it in place using the stored platform reference (a poll's live tally).
 *   Several updates before the dispatcher gets to it become one edit.
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Destination, Message, MessageRef, PlatformKind } from '../chat/index.js';

export interface OutgoingMessage {
  /** Why this message exists; with the recipient, its identity. */
  readonly purpose: string;
  readonly platform: PlatformKind;
  readonly destination: Destination;
  readonly message: Message;
  /** The group it concerns: its coordinators hear about it if it cannot be delivered. */
  readonly groupId?: number;
}

export interface UpsertOptions {
  /**
   * A message already on the platform (posted directly, for example as a command reply) that
   * this content should replace, when the outbox has not delivered one itself.
   */
  readonly existingRef?: MessageRef;
}

/** One string per platform destination, e.g. "slack:T1:channel:C1" or "discord::dm:42". */
export function recipientKey(platform: PlatformKind, destination: Destination): string {
  const ws = destination.workspaceId ?? '';
  switch (destination.kind) {
    case 'channel':
      return `${platform}:${ws}:channel:${destination.channelId}`;
    case 'dm':
      return `${platform}:${ws}:dm:${destination.userId}`;
    case 'groupDm':
      return `${platform}:${ws}:groupDm:${[...destination.userIds].sort().join(',')}`;
  }
}

/** Queue a message once. Returns false if this (purpose, recipient) was already queued. */
export async function enqueueMessage(tx: Tx, now: Date, out: OutgoingMessage): Promise<boolean> {
  const rows = await tx
    .insert(schema.outbox)
    .values(rowFor(now, out))
    .onConflictDoNothing({ target: [schema.outbox.purpose, schema.outbox.recipient] })
    .returning({ id: schema.outbox.id });
  return rows.length > 0;
}

/** Queue several messages once each, in one statement (what enqueueMessage does for one). */
export async function enqueueMessages(tx: Tx, now: Date, outs: readonly OutgoingMessage[]): Promise<void> {
  if (outs.length === 0) return;
  await tx
    .insert(schema.outbox)
    .values(outs.map((out) => rowFor(now, out)))
    .onConflictDoNothing({ target: [schema.outbox.purpose, schema.outbox.recipient] });
}

/**
 * Queue a message, or replace the content of the one already queued or delivered for this
 * (purpose, recipient). Latest wins: the dispatcher sends only the newest content, as a post if
 * nothing was delivered yet, else as an edit of the delivered message.
 */
export async function upsertMessage(
  tx: Tx,
  now: Date,
  out: OutgoingMessage,
  options: UpsertOptions = {},
): Promise<void> {
  const o = schema.outbox;
  await tx
    .insert(o)
    .values({ ...rowFor(now, out), messageRef: options.existingRef })
    .onConflictDoUpdate({
      target: [o.purpose, o.recipient],
      set: {
        message: sql`excluded.message`,
        version: sql`${o.version} + 1`,
        messageRef: sql`coalesce(${o.messageRef}, excluded.message_ref)`,
        // A row waiting out a rate limit keeps its wait; a delivered or dead one is due again.
        nextAttemptAt: sql`case when ${o.status} = 'pending' then ${o.nextAttemptAt} else excluded.next_attempt_at end`,
        attempts: sql`case when ${o.status} = 'pending' then ${o.attempts} else 0 end`,
        status: 'pending',
        deadAt: null,
        stale: false,
      },
    });
}

/**
 * Says the content of a message is out of date, without rendering it again: one short statement
 * on the busy path (a vote). True only for the caller that marked it, which then renders it once
 * its own change has committed; callers that find it already marked leave it to that one. A row
 * already marked is skipped without waiting for its lock.
 */
export async function markStale(tx: Tx, purpose: string): Promise<boolean> {
  const o = schema.outbox;
  const marked = await tx
    .update(o)
    .set({ stale: true })
    .where(and(eq(o.purpose, purpose), eq(o.stale, false)))
    .returning({ id: o.id });
  return marked.length > 0;
}

function rowFor(now: Date, out: OutgoingMessage) {
  return {
    purpose: out.purpose,
    recipient: recipientKey(out.platform, out.destination),
    platform: out.platform,
    destination: out.destination,
    message: out.message,
    groupId: out.groupId,
    nextAttemptAt: now,
  };
}

/**
 * Let go of every claim on the outbox, at start, on a database no other copro process can be
 * using (the embedded one, behind its data-folder lock). A claim there is a stopped process's, and
 * would hold back its messages (a poll's tally after a crash) until its lease ended, a minute on.
 * Never on a server: another replica may be sending them now.
 */
export async function releaseLeftClaims(db: Db): Promise<number> {
  const o = schema.outbox;
  const freed = await db
    .update(o)
    .set({ claimToken: null, claimedUntil: null })
    .where(isNotNull(o.claimedUntil))
    .returning({ id: o.id });
  return freed.length;
}
