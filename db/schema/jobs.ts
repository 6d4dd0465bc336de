import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { groups } from './groups.js';

/**
 * Durable jobs: every future action is a row with run_at. `key` names one occurrence (for example
 * "digest:12:2026-11-23T09:00:00.000Z"), so scheduling the same occurrence twice is a no-op and
 * two replicas can never both run it. `series` ties the occurrences of one recurring thing
 * together, so missed runs can be collapsed into one.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    series: text('series'),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    /** After this the job is pointless (the meeting it reminds of has started). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** pending | done | failed | dropped | collapsed | cancelled */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** How many missed occurrences this run stands for, besides itself. */
    collapsedRuns: integer('collapsed_runs').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_key_uq').on(t.key),
    index('jobs_due_idx').on(t.runAt, t.id).where(sql`${t.status} = 'pending'`),
    index('jobs_series_idx').on(t.series).where(sql`${t.status} = 'pending'`),
  ],
);
