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

/** A member's buddy-pairing settings in one group. No row: not taking part. */
export const buddySettings = pgTable(
  'buddy_settings',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** Taking part in peer rounds. */
    optedIn: boolean('opted_in').notNull().default(false),
    /** Not paired before this moment; they come back by themselves afterwards. */
    pausedUntil: timestamp('paused_until', { withTimezone: true }),
    /** Asked for a newcomer's buddy and does not have one yet. */
    wantsBuddy: boolean('wants_buddy').notNull().default(false),
    /** How many newcomers they will look after at once, as a buddy (empty: the default, 2). */
    capacity: integer('capacity'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);

/**
 * "Please don't pair me with ...". Private: read only to rule pairs out, never shown to
 * anyone, coordinators included.
 */
export const buddyAvoids = pgTable(
  'buddy_avoids',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    avoidMemberId: integer('avoid_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId, t.avoidMemberId] })],
);

/**
 * An avoid or a coordinator's forbid that outlives the erasure of a person it names, so that
 * they are not paired if they come back as someone new. The erased person is kept only as a
 * keyed hash of their platform account within the group (src/matching/kept-rules.ts), under
 * the secret behind anonymous votes, which the database alone cannot open: nothing here names them. Once they are back, the rule
 * becomes an ordinary avoid or forbid again.
 */
export const matchKeptRules = pgTable(
  'match_kept_rules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** avoid (member_id asked not to be paired with the erased person) | forbid */
    kind: text('kind').$type<'avoid' | 'forbid'>().notNull(),
    /** The person still here: who asked to avoid, or the other side of a forbid. */
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    /** A forbid whose other side was erased too: their keyed hash, in place of member_id. */
    keptKey: text('kept_key'),
    /** The erased person's keyed hash. */
    erasedKey: text('erased_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('match_kept_rules_group_idx').on(t.groupId)],
);

/** A coordinator's pin (always pair) or forbid (never pair), stored with the lower member id first. */
export const matchRules = pgTable(
  'match_rules',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** pin | forbid */
    kind: text('kind').$type<'pin' | 'forbid'>().notNull(),
    memberA: integer('member_a')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    memberB: integer('member_b')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberA, t.memberB] })],
);

/** One peer round of a group. */
export const matchRounds = pgTable(
  'match_rounds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** 1, 2, 3 ... within the group. */
    number: integer('number').notNull(),
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
    unmatchedCount: integer('unmatched_count').notNull().default(0),
    /** Pairs repeated from recent rounds because no other pairing was possible. */
    repeats: integer('repeats').notNull().default(0),
    /**
     * How many fewer repeated pairs than a round that ignored past rounds would have made
     * (empty for rounds recorded before this was counted).
     */
    repeatsAvoided: integer('repeats_avoided'),
    /** The group size asked for: 2 (pairs), 3 or 4. */
    groupSize: integer('group_size').notNull().default(2),
  },
  (t) => [uniqueIndex('match_rounds_group_number_uq').on(t.groupId, t.number)],
);

/** A pair or small group formed in a round. */
export const matchGroups = pgTable(
  'match_groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    roundId: integer('round_id')
      .notNull()
      .references(() => matchRounds.id, { onDelete: 'cascade' }),
    memberIds: jsonb('member_ids').$type<number[]>().notNull(),
    /** How many were introduced: member_ids loses a person whose data is erased, this does not. */
    size: integer('size').notNull().default(2),
  },
  (t) => [index('match_groups_round_idx').on(t.roundId)],
);

/** Each member's answer to "Did you get a chance to meet?". */
export const matchFollowUps = pgTable(
  'match_follow_ups',
  {
    matchGroupId: integer('match_group_id')
      .notNull()
      .references(() => matchGroups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** met | not-yet | could-not */
    answer: text('answer').$type<'met' | 'not-yet' | 'could-not'>().notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.matchGroupId, t.memberId] })],
);

/** A newcomer and the buddy looking after them. */
export const buddyAssignments = pgTable(
  'buddy_assignments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    newcomerId: integer('newcomer_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    buddyId: integer('buddy_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('buddy_assignments_buddy_idx').on(t.groupId, t.buddyId),
    uniqueIndex('buddy_assignments_newcomer_uq').on(t.groupId, t.newcomerId),
  ],
);

/**
 * When a group's peer rounds run by themselves. No row: only when a coordinator runs one.
 * Every `intervalWeeks` weeks counted from `anchor`, or, when that is empty, on the first such
 * weekday of each month; always at `localTime` in the group's timezone.
 */
export const matchSchedules = pgTable('match_schedules', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** 1 to 12; empty means monthly. */
  intervalWeeks: integer('interval_weeks'),
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: integer('weekday').notNull(),
  /** "HH:MM", 24-hour, in the group's timezone. */
  localTime: text('local_time').notNull(),
  /** The first round of the series: every N weeks counts from here. */
  anchor: timestamp('anchor', { withTimezone: true }).notNull(),
  /** 2 (pairs), 3 or 4. */
  groupSize: integer('group_size').notNull().default(2),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
