import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Platform events already handled: a retried delivery or a double click finds its row here. */
export const processedEvents = pgTable(
  'processed_events',
  {
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] })],
);
