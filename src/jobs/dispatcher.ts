/**
 * The outbox dispatcher: delivers queued messages to the platforms.
 *
 * Guarantees, and why:
 * - Nothing is lost. A row stays pending until the platform accepts it; a crash, a 5xx or a
 *   network failure only delays it (backoff), and a 429 waits exactly as long as Retry-After asks.
 * - Two replicas never both deliver a row: a row is claimed with a short lease in one statement
 *   (FOR UPDATE SKIP LOCKED), and results are written back only by the holder of that lease. The
 *   lease is held outside any transaction, so a slow platform never blocks the writers of new
 *   messages (on PGlite there is only one connection).
 * - Delivery is at least once, not exactly once, in one narrow case: if the process dies after
 *   the platform accepted a message and before the row is marked sent, the message is sent again
 *   when the lease runs out. Platforms offer no idempotency key for posts, so this is the best
 *   any sender can do; the window is one round trip. A database that goes away in that round trip
 *   does not widen it: marking the row is tried again while the lease lasts (a poll posted while
 *   the database was cut off was posted twice, a minute later, before that).
 * - Updates are merged: content can be replaced many times while a row waits; only the latest is
 *   sent, as an edit of the delivered message when there is one.
 * - Bounded: after `maxAttempts` failures (a 429 is not one: it says when to try again, not
 *   that the message cannot go), or at once when the platform rejects the message
 *   outright, the row is dead-lettered and the group's coordinators get a plain note, so a
 *   person can pass the message on by hand.
 * - Rate limits are respected before the platform has to tell us (see rate-limit.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import {
  DeliveryError,
  type Message,
  type MessageRef,
  type PlatformKind,
  type SendRate,
} from '../chat/index.js';
import type { Clock } from '../clock.js';
import type { Platforms } from '../deps.js';
import { isDatabaseUnavailable, storableErrorText } from '../errors.js';
import type { Logger } from '../logger.js';
import { notifyCoordinators } from './coordinators.js';
import { type LimitedCall, type LimitTarget, RateLimiter } from './rate-limit.js';
import { createTicker } from './ticker.js';

export type OutboxRow = typeof schema.outbox.$inferSelect;

export interface DispatcherOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Read at each delivery, so platforms that start later are picked up. */
  readonly platforms: Platforms;
  /** Send rates to keep to instead of each platform's own (`unlimited` in benchmarks). */
  readonly limits?: Readonly<Record<PlatformKind, SendRate>>;
  /** Failures before a message is dead-lettered. Default 10 (about 50 minutes of trying). */
  readonly maxAttempts?: number;
  /** How long a claimed row is reserved for this dispatcher. Default 60 s. */
  readonly leaseMs?: number;
  /** Rows claimed per round trip. Default 20. */
  readonly batchSize?: number;
  /** node-cron expression for start(). Default every second. */
  readonly tick?: string;
}

export interface DispatchSummary {
  posted: number;
  updated: number;
  /** Held back by our own rate limiter (not an attempt). */
  deferred: number;
  retried: number;
  dead: number;
}

export interface Dispatcher {
  /** Deliver everything due now. Safe to call from several processes at once. */
  dispatchDue(): Promise<DispatchSummary>;
  /** Run dispatchDue on a node-cron tick until stop(). */
  start(): void;
  /** Stop ticking and wait for a delivery in progress to finish. */
  stop(): Promise<void>;
}

export const OUTBOX_MAX_ATTEMPTS = 10;

/** 5 s, 10 s, 20 s … capped at 15 minutes. */
export function outboxRetryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 900_000);
}

/** How often a delivery's record is tried again while the database is out of reach. */
const RECORD_RETRY_MS = 500;
/** Stop trying that long before the lease runs out: clocks and round trips are not exact. */
const RECORD_MARGIN_MS = 10_000;

/** Purposes of the notes the dispatcher itself sends; a dead note is logged, not noted again. */
const UNDELIVERABLE = 'undeliverable:';

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, clock, logger, platforms } = options;
  const maxAttempts = options.maxAttempts ?? OUTBOX_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const limiter = new RateLimiter((kind) => options.limits?.[kind] ?? platforms[kind]?.limits.sendRate);
  const o = schema.outbox;
  let stopping = false;

  async function claim(now: Date, available: PlatformKind[]): Promise<{ token: string; rows: OutboxRow[] }> {
    const token = randomUUID();
    const due = db
      .select({ id: o.id })
      .from(o)
      .where(
        and(
          eq(o.status, 'pending'),
          lte(o.nextAttemptAt, now),
          inArray(o.platform, available),
          or(isNull(o.claimedUntil), lt(o.claimedUntil, now)),
        ),
      )
      .orderBy(asc(o.nextAttemptAt), asc(o.id))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await db
      .update(o)
      .set({ claimToken: token, claimedUntil: new Date(now.getTime() + leaseMs) })
      .where(inArray(o.id, due))
      .returning();
    rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
    return { token, rows };
  }

  const mine = (row: OutboxRow, token: string) => and(eq(o.id, row.id), eq(o.claimToken, token));
  const released = { claimToken: null, claimedUntil: null };

  /**
   * Write what became of a delivery the platform accepted. While the database is out of reach, try
   * again until shortly before the lease (taken at `leaseFrom`, wall time) runs out: after that,
   * another dispatcher may claim the row, and written late, the record would not be ours to write.
   */
  async function recordDelivered<T>(write: () => Promise<T>, leaseFrom: number): Promise<T> {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        const stopAt = leaseFrom + leaseMs - RECORD_MARGIN_MS;
        // Stopping, copro does not wait a minute for the database: the message may go twice.
        if (!isDatabaseUnavailable(error) || stopping || Date.now() + RECORD_RETRY_MS >= stopAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      }
    }
  }

  async function deliver(
    row: OutboxRow,
    token: string,
    leaseFrom: number,
    summary: DispatchSummary,
  ): Promise<void> {
    const platform = platforms[row.platform];
    const { destination, message, messageRef: existing } = row;
    const op: LimitedCall = existing ? 'update' : destination.kind === 'channel' ? 'post' : 'postDm';
    const target: LimitTarget = {
      platform: row.platform,
      workspace: destination.workspaceId ?? '',
      recipient: row.recipient,
    };
    const now = clock.now();
    const wait = limiter.waitMs(target, op, now.getTime());
    if (!platform || wait > 0) {
      await db
        .update(o)
        .set({ ...released, nextAttemptAt: new Date(now.getTime() + (platform ? wait : 1_000)) })
        .where(mine(row, token));
      summary.deferred++;
      return;
    }
    limiter.take(target, op, now.getTime());
    let ref: MessageRef | null = existing;
    try {
      if (existing) await platform.update(existing, message);
      else ref = await platform.post(destination, message);
    } catch (error) {
      await failed(row, token, target, error, summary);
      return;
    }
    const done = clock.now();
    // If the content was replaced while we were sending, the row stays pending for the newer version.
    const result = await recordDelivered(
      () =>
        db
          .update(o)
          .set({
            ...released,
            status: sqlStatusAfterDelivery(row.version),
            deliveredVersion: row.version,
            messageRef: ref,
            sentAt: done,
            attempts: 0,
            lastError: null,
            nextAttemptAt: done,
          })
          .where(mine(row, token))
          .returning({ id: o.id }),
      leaseFrom,
    );
    if (result.length === 0) {
      logger.warn(
        { outboxId: row.id, purpose: row.purpose },
        'outbox lease ran out before delivery was recorded',
      );
    }
    if (op === 'update') summary.updated++;
    else summary.posted++;
  }

  async function failed(
    row: OutboxRow,
    token: string,
    target: LimitTarget,
    error: unknown,
    summary: DispatchSummary,
  ): Promise<void> {
    const now = clock.now();
    const reason = error instanceof DeliveryError ? error.reason : 'unavailable';
    const detail = error instanceof Error ? error.message : String(error);
    const lastError = storableErrorText(`${reason}: ${detail}`);
    // "Wait" is not a failure: however long the platform keeps saying it, the message still goes,
    // so only other failures count towards giving up.
    const attempts = reason === 'rate_limited' ? row.attempts : row.attempts + 1;
    if (reason === 'rejected' || attempts >= maxAttempts) {
      await deadLetter(row, token, attempts, lastError, now);
      summary.dead++;
      return;
    }
    const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const delay =
      reason === 'rate_limited' && retryAfter !== undefined && retryAfter > 0
        ? retryAfter
        : outboxRetryDelayMs(attempts);
    // Later messages to the same place wait too, so they still arrive in the order they were queued.
    limiter.block(target, now.getTime() + delay);
    await db
      .update(o)
      .set({
        ...released,
        attempts,
        lastError,
        nextAttemptAt: new Date(now.getTime() + delay),
      })
      .where(mine(row, token));
    logger.info(
      { outboxId: row.id, purpose: row.purpose, reason, attempts, retryInMs: delay },
      'message delivery will be retried',
    );
    summary.retried++;
  }

  async function deadLetter(row: OutboxRow, token: string, attempts: number, lastError: string, now: Date) {
    await db.transaction(async (tx) => {
      const marked = await tx
        .update(o)
        .set({ ...released, status: 'dead', attempts, lastError, deadAt: now })
        .where(mine(row, token))
        .returning({ id: o.id });
      if (marked.length === 0) return;
      logger.error({ outboxId: row.id, purpose: row.purpose, attempts, lastError }, 'message dead-lettered');
      if (row.groupId === null || row.purpose.startsWith(UNDELIVERABLE)) return;
      const group = await tx.query.groups.findFirst({ where: eq(schema.groups.id, row.groupId) });
      await notifyCoordinators(
        tx,
        now,
        row.groupId,
        `${UNDELIVERABLE}${row.id}`,
        undeliverableNote(row, group?.homeChannelId, attempts),
      );
    });
  }

  async function dispatchDue(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { posted: 0, updated: 0, deferred: 0, retried: 0, dead: 0 };
    // Bounded so that one call always returns, even if rows keep becoming due.
    for (let round = 0; round < 1_000; round++) {
      const available = (Object.keys(platforms) as PlatformKind[]).filter((k) => platforms[k] !== undefined);
      if (available.length === 0) break;
      const leaseFrom = Date.now();
      const { token, rows } = await claim(clock.now(), available);
      if (rows.length === 0) break;
      for (const row of rows) await deliver(row, token, leaseFrom, summary);
    }
    return summary;
  }

  const ticker = createTicker(dispatchDue, logger, 'outbox dispatch failed; will try again');
  return {
    dispatchDue,
    start: () => {
      stopping = false;
      ticker.start(options.tick ?? '* * * * * *', 'copro-outbox');
    },
    stop: () => {
      stopping = true;
      return ticker.stop();
    },
  };
}

function sqlStatusAfterDelivery(deliveredVersion: number) {
  return sql`case when ${schema.outbox.version} = ${deliveredVersion} then 'sent' else 'pending' end`;
}

function undeliverableNote(row: OutboxRow, homeChannelId: string | undefined, attempts: number): Message {
  const { destination } = row;
  const where =
    destination.kind === 'channel'
      ? destination.channelId === homeChannelId
        ? "to the group's channel"
        : 'to a channel'
      : destination.kind === 'dm'
        ? `to <@${destination.userId}> by direct message`
        : 'to a group direct message';
  const original = row.message.text;
  const excerpt = original.length > 200 ? `${original.slice(0, 200)}…` : original;
  const tries = attempts === 1 ? 'The platform refused it' : `It was tried ${attempts} times`;
  const text =
    `copro could not deliver a message ${where}. ${tries}, so copro has stopped trying. ` +
    `The message began: “${excerpt}”. If it matters, please pass it on by hand. (Reference: outbox ${row.id}.)`;
  return { text, blocks: [{ type: 'text', text }] };
}
