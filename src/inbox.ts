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
  /** The delivery has been handled (or refused): forget it and what it held. */
  release(id: string): Promise<void>;
  /** Deliveries kept but never handled (the process stopped first), oldest first. */
  waiting(platform: string): Promise<KeptDelivery[]>;
}

export function createInbox(db: Db): Inbox {
  const { inbox } = schema;
  return {
    async keep(platform, payload) {
      // A plain copy: parsed form bodies have no prototype, which the query builder cannot take.
      const plain: unknown = JSON.parse(JSON.stringify(payload));
      const [row] = await db.insert(inbox).values({ platform, payload: plain }).returning({ id: inbox.id });
      if (!row) throw new Error('the inbox kept nothing');
      return row.id;
    },
    async release(id) {
      await db.delete(inbox).where(eq(inbox.id, id));
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
