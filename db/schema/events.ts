import { index, json, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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

/**
 * Deliveries kept before they are acknowledged and deleted once handled, so a crash in between
 * loses nothing: rows still here at start are handled then. A row holds what the platform sent
 * (who clicked what) only while it waits; ids are random so the table keeps no order of arrival.
 * The payload is json, not jsonb: it is kept exactly as sent, and jsonb cannot hold a NUL character
 * that someone pasted into what they typed (the core answers that in words once it is handled).
 */
export const inbox = pgTable(
  'inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    platform: text('platform').notNull(),
    payload: json('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inbox_platform_received_idx').on(t.platform, t.receivedAt)],
);
