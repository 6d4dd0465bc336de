import type { Db } from '../db/client.js';
import { schema } from '../db/client.js';

/**
 * Record a platform event id; false if it was seen before. Platforms retry deliveries (Slack up to
 * three times) and people double-click, so every event passes through here before it has effects.
 */
export async function firstTime(db: Db, platform: string, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(schema.processedEvents)
    .values({ platform, eventId })
    .onConflictDoNothing()
    .returning({ eventId: schema.processedEvents.eventId });
  return rows.length > 0;
}
