import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { schema } from '../db/client.js';

/**
 * Record a platform event id; false if it was seen before. Platforms retry deliveries (Slack up to
 * three times) and people double-click, so every event passes through here before it has effects.
 *
 * Only a hash of the id is kept. Some platforms' ids name the person and the button they pressed,
 * and a table of who clicked what, and when, could be lined up against anonymous votes.
 */
export async function firstTime(db: Db, platform: string, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(schema.processedEvents)
    .values({ platform, eventId: createHash('sha256').update(eventId).digest('base64url') })
    .onConflictDoNothing()
    .returning({ eventId: schema.processedEvents.eventId });
  return rows.length > 0;
}
