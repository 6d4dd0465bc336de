import { asc, eq } from 'drizzle-orm';
import { type Db, schema } from '../db/client.js';

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

/** Retries of a release the database did not take: 1 s, 2 s, 4 s … 30 s apart, for half an hour. */
const RELEASE_RETRY_MS = { first: 1_000, most: 30_000, giveUpAfter: 30 * 60_000 };

export function createInbox(db: Db): Inbox {
  const { inbox } = schema;
  const forget = async (id: string) => {
    await db.delete(inbox).where(eq(inbox.id, id));
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
      // A plain copy: parsed form bodies have no prototype, which the query builder cannot take.
      const plain: unknown = JSON.parse(JSON.stringify(payload));
      const [row] = await db.insert(inbox).values({ platform, payload: plain }).returning({ id: inbox.id });
      if (!row) throw new Error('the inbox kept nothing');
      return row.id;
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
      return db
        .select({ id: inbox.id, payload: inbox.payload })
        .from(inbox)
        .where(eq(inbox.platform, platform))
        .orderBy(asc(inbox.receivedAt));
    },
  };
}
