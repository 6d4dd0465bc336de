import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { groups, members } from './groups.js';

/** A question put to a group. Options are fixed once the poll is open. */
export const polls = pgTable(
  'polls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Short, readable id people type: "P7K2". */
    code: text('code').notNull(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    question: text('question').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    /** single | multi | ranked */
    mode: text('mode').$type<'single' | 'multi' | 'ranked'>().notNull(),
    anonymous: boolean('anonymous').notNull().default(false),
    hideResults: boolean('hide_results').notNull().default(false),
    /** The channel the poll was posted in. */
    channelId: text('channel_id').notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    /** open | closed */
    status: text('status').notNull().default('open'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: integer('closed_by').references(() => members.id, { onDelete: 'set null' }),
    /** How many were in the group when it closed, for the participation rate. */
    eligibleAtClose: integer('eligible_at_close'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('polls_code_uq').on(t.code), index('polls_group_status_idx').on(t.groupId, t.status)],
);

/**
 * One vote per voter per poll. `voter_key` is "m:<member id>" on an ordinary poll; on an anonymous
 * poll it is a keyed hash that only copro can recompute for the person voting (the key is kept
 * outside the database), and `member_id` is empty, so no query, export or coordinator can turn a
 * vote back into a person. Nothing else on a ballot orders or describes it: no serial id, no
 * roles (the per-role breakdown is worked out when the poll closes), and an anonymous ballot's
 * times are the poll's own.
 */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    voterKey: text('voter_key').notNull(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** Option indexes: the chosen ones (single, multi), or in order of priority (ranked). */
    choices: jsonb('choices').$type<number[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voterKey] })],
);

/** Group-level poll settings. No row means the defaults. */
export const pollSettings = pgTable('poll_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** Only coordinators may start polls. */
  coordinatorsOnly: boolean('coordinators_only').notNull().default(false),
});

/** Members who asked not to get poll reminders in a group. */
export const pollReminderOptOuts = pgTable(
  'poll_reminder_opt_outs',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);
