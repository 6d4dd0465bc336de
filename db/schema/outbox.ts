import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { groups, type Platform } from './groups.js';
import type { Destination, Message, MessageRef } from './message.js';

/**
 * Outgoing messages, written in the same transaction as the change that caused them. One row per
 * (purpose, recipient): enqueueing again either does nothing or replaces the content (latest
 * wins), and the delivered message reference is kept so later content edits that message.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    purpose: text('purpose').notNull(),
    /** platform + destination as one string, e.g. "slack:T1:channel:C1". */
    recipient: text('recipient').notNull(),
    platform: text('platform').$type<Platform>().notNull(),
    destination: jsonb('destination').$type<Destination>().notNull(),
    message: jsonb('message').$type<Message>().notNull(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    /** pending | sent | dead */
    status: text('status').notNull().default('pending'),
    /** Bumped each time the content is replaced; delivered_version says which one the platform has. */
    version: integer('version').notNull().default(1),
    deliveredVersion: integer('delivered_version'),
    /**
     * Content written by someone else has changed since this was rendered (a vote on a poll):
     * whoever sets it renders the message again, and a sweep does if that never happens.
     */
    stale: boolean('stale').notNull().default(false),
    messageRef: jsonb('message_ref').$type<MessageRef>(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** A dispatcher's lease: while it lasts, no other dispatcher touches the row. */
    claimToken: text('claim_token'),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deadAt: timestamp('dead_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_purpose_recipient_uq').on(t.purpose, t.recipient),
    index('outbox_due_idx').on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
  ],
);
