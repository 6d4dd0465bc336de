import {
  bigint,
  date,
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

/** How a member wants to be paid for their time: in full, a share of it, or not at all. */
export type PayChoice = 'full' | 'less' | 'declined';

/**
 * Where a payment is: owed (waiting for a coordinator), approved (waiting for finance), paid;
 * declined when the member chose not to be paid, none when the group pays nothing for it.
 */
export type PaymentStatus = 'owed' | 'approved' | 'paid' | 'declined' | 'none';

/**
 * One piece of involvement: time given (kind "time") or money spent to take part (kind
 * "expense"). Money is integer minor units (pence) with its currency, never a float. The
 * member is kept apart from the numbers so that a forgotten member's hours stay in the group's
 * totals: their member id becomes empty and nothing else changes.
 */
export const involvementRecords = pgTable(
  'involvement_records',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'set null' }),
    loggedBy: integer('logged_by').references(() => members.id, { onDelete: 'set null' }),
    kind: text('kind').$type<'time' | 'expense'>().notNull(),
    /** Time: meeting, preparation, review...; expense: travel, carer-cover, childcare, other. */
    typeKey: text('type_key').notNull(),
    /** Time only: whole minutes. */
    minutes: integer('minutes'),
    description: text('description').notNull(),
    /** Expense only: a receipt link or a note about it. */
    receipt: text('receipt'),
    /** The day it happened, in the group's timezone. */
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    /** The roles the member held when it was recorded, for hours by role. */
    roles: jsonb('roles').$type<string[]>().notNull().default([]),
    /** Time: the hourly rate when recorded (empty when the group has none for the type). */
    rateMinor: bigint('rate_minor', { mode: 'number' }),
    /** What the member is to be paid (time) or repaid (expense), after their choice. */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('GBP'),
    payChoice: text('pay_choice').$type<PayChoice>().notNull().default('full'),
    /** With "less": the share of the full amount taken, 1 to 99. */
    payPercent: integer('pay_percent'),
    status: text('status').$type<PaymentStatus>().notNull(),
    /** Why this row exists when copro made it (e.g. "meeting:12:member:4"): made once. */
    sourceKey: text('source_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: integer('approved_by').references(() => members.id, { onDelete: 'set null' }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    paidBy: integer('paid_by').references(() => members.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('involvement_records_group_idx').on(t.groupId, t.occurredOn),
    index('involvement_records_member_idx').on(t.memberId),
    uniqueIndex('involvement_records_source_uq').on(t.groupId, t.sourceKey),
  ],
);

/** Kinds of involvement a group added to the built-in ones. */
export const involvementTypes = pgTable(
  'involvement_types',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.key] })],
);

/** A group's hourly rate for one type of involvement. copro ships none of its own. */
export const involvementRates = pgTable(
  'involvement_rates',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    typeKey: text('type_key').notNull(),
    perHourMinor: bigint('per_hour_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('GBP'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.typeKey] })],
);

/** A member's standing choice about payment in one group; no row means paid in full. */
export const involvementPayChoices = pgTable(
  'involvement_pay_choices',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    choice: text('choice').$type<PayChoice>().notNull(),
    percent: integer('percent'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);

/** "You said": something members raised. Closed with "we did" (or why not). */
export const feedbackItems = pgTable(
  'feedback_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** member (typed with /copro feedback), agenda or poll. */
    source: text('source').$type<'member' | 'agenda' | 'poll'>().notNull(),
    /** Made once per agenda item or poll, e.g. "poll:12". */
    sourceKey: text('source_key'),
    text: text('text').notNull(),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    /** changed (something changed) or unchanged (nothing did, and why). */
    outcome: text('outcome').$type<'changed' | 'unchanged'>(),
    outcomeText: text('outcome_text'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: integer('closed_by').references(() => members.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('feedback_items_group_idx').on(t.groupId, t.status),
    uniqueIndex('feedback_items_source_uq').on(t.groupId, t.sourceKey),
  ],
);

/** Who raised a feedback item: they are the ones told what came of it. */
export const feedbackRaisers = pgTable(
  'feedback_raisers',
  {
    feedbackId: integer('feedback_id')
      .notNull()
      .references(() => feedbackItems.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.feedbackId, t.memberId] })],
);
