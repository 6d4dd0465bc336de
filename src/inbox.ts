import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { type Db, schema } from '../db/client.js';
import { oneOf, rowsOf } from '../db/rows.js';
import { createBatcher } from './batch.js';
import { isDatabaseUnavailable } from './errors.js';
import type { Logger } from './logger.js';
import { type SealKey, seal, unseal } from './privacy/sealed.js';

/** A delivery kept in the inbox and not yet handled. */
export interface KeptDelivery {
  readonly id: string;
  readonly payload: unknown;
}

/**
 * The transactional inbox: an adapter keeps each delivery before acknowledging it (one insert),
 * handles it, then lets it go. The core's record of handled events is written with the effects,
 * so a delivery handled again after a crash has its effect once.
 */
export interface Inbox {
  /** Keep a delivery; resolves with its id once it is stored. */
  keep(platform: string, payload: unknown): Promise<string>;
  /**
   * The delivery has been handled (or refused): forget it and what it held. If the database does
   * not take that now, this rejects and copro keeps trying in the background.
   */
  release(id: string): Promise<void>;
  /** Deliveries kept but never handled (the process stopped first), oldest first. */
  waiting(platform: string): Promise<KeptDelivery[]>;
}

/** The most deliveries kept, or let go, in one statement. */
const BATCH = 100;

/** Retries of a release the database did not take: 1 s, 2 s, 4 s … 30 s apart, for half an hour. */
const RELEASE_RETRY_MS = { first: 1_000, most: 30_000, giveUpAfter: 30 * 60_000 };

export interface InboxOptions {
  /**
   * Seals each payload, as special-category data is sealed (src/privacy/sealed.ts). A delivery
   * says who clicked what, on an anonymous poll too, and a form's answers (access needs) are in
   * it as typed. Deleted rows and the database's write-ahead log keep what was written for a
   * while after the delivery is handled, and backups keep it for longer.
   */
  readonly key?: SealKey;
  /** Other keys a kept delivery may have been sealed with (the anonymous polls' key file). */
  readonly alsoOpenWith?: readonly Buffer[];
  /** Told about kept deliveries that no key copro knows can open (the key changed since). */
  readonly logger?: Logger;
}

/** Where a sealed payload belongs: its own row, so a copy in another row does not open. */
const contextOf = (id: string) => `inbox:${id}`;

export function createInbox(db: Db, options: InboxOptions = {}): Inbox {
  const { inbox } = schema;
  const { key, logger } = options;
  const openers = [...(key ? [key] : []), ...(options.alsoOpenWith ?? [])];
  const stored = (id: string, payload: unknown) =>
    key ? { sealed: seal(key, JSON.stringify(payload), contextOf(id)) } : payload;
  /** The payload as kept, or undefined when it is sealed with a key copro no longer has. */
  const opened = (id: string, payload: unknown): unknown => {
    const sealed = (payload as { sealed?: unknown } | null)?.sealed;
    if (typeof sealed !== 'string' || Object.keys(payload as object).length !== 1) return payload;
    for (const opener of openers) {
      const plain = unseal(opener, sealed, contextOf(id));
      if (plain !== undefined) return JSON.parse(plain);
    }
    return undefined;
  };
  // Kept and let go in batches (createBatcher): a burst of clicks costs a few statements, not one
  // each, so acknowledgements keep up. Ids are made here, so no answer depends on the order of the
  // rows the database returns; the time is the arrival's, so replay keeps the order people acted.
  const keepAll = createBatcher(
    async (rows: readonly (typeof inbox.$inferInsert & { id: string })[]) => {
      await db.insert(inbox).select(rowsOf(inbox, rows));
      return rows.map((row) => row.id);
    },
    { max: BATCH, failsAll: isDatabaseUnavailable },
  );
  const forget = createBatcher(
    async (ids: readonly string[]) => {
      await db.delete(inbox).where(oneOf(inbox.id, ids));
      return ids;
    },
    { max: BATCH, failsAll: isDatabaseUnavailable },
  );
  // Strictly increasing, so deliveries kept in the same millisecond still replay in arrival order.
  let last = 0;
  const arrival = () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last);
  };

  /**
   * A delivery handled while the database went away stays kept, and would be handled again at
   * the next start, though the person was told it failed (and may have done it again since). So
   * its release is tried again until the database is back. The timers do not keep the process up.
   */
  function retryLater(id: string): void {
    const started = Date.now();
    const attempt = (wait: number) => {
      const timer = setTimeout(() => {
        forget(id).catch(() => {
          if (Date.now() - started < RELEASE_RETRY_MS.giveUpAfter)
            attempt(Math.min(wait * 2, RELEASE_RETRY_MS.most));
        });
      }, wait);
      timer.unref();
    };
    attempt(RELEASE_RETRY_MS.first);
  }

  return {
    async keep(platform, payload) {
      const id = randomUUID();
      try {
        return await keepAll({ id, platform, payload: stored(id, payload), receivedAt: arrival() });
      } catch (error) {
        // The insert may have landed with only its answer lost (the connection went during the
        // commit). The person is told it was not kept, so it must not be handled at the next
        // start: it is let go once the database takes that.
        retryLater(id);
        throw error;
      }
    },
    async release(id) {
      try {
        await forget(id);
      } catch (error) {
        retryLater(id);
        throw error;
      }
    },
    async waiting(platform) {
      const rows = await db
        .select({ id: inbox.id, payload: inbox.payload })
        .from(inbox)
        .where(eq(inbox.platform, platform))
        .orderBy(asc(inbox.receivedAt));
      const readable: KeptDelivery[] = [];
      let locked = 0;
      for (const row of rows) {
        const payload = opened(row.id, row.payload);
        if (payload === undefined) locked++;
        else readable.push({ id: row.id, payload });
      }
      // Kept, not dropped: each was acknowledged, and opens once copro is given the key again.
      if (locked > 0)
        logger?.warn(
          { platform, count: locked },
          'deliveries kept before a restart are sealed with a key copro was not given, so they wait unhandled; set COPRO_PREVIOUS_ENCRYPTION_KEY to the key used before and restart (README, "Changing the encryption key")',
        );
      return readable;
    },
  };
}

/**
 * Let a kept delivery go inside the transaction that records its effects: both commit, or neither.
 * The adapter's release afterwards then finds nothing to delete, which writes nothing.
 */
export async function releaseWithin(tx: Db, keptAs: string): Promise<void> {
  await tx.delete(schema.inbox).where(eq(schema.inbox.id, keptAs));
}
