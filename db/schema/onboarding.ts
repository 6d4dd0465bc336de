import { sql } from 'drizzle-orm';
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

/**
 * A group's onboarding pack, in the coordinators' own words. No row, or an empty column, means
 * the part is not filled in yet: newcomers then see a plain default that says so.
 */
export const onboardingPacks = pgTable('onboarding_packs', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  purpose: text('purpose'),
  timeCommitment: text('time_commitment'),
  contacts: text('contacts'),
  /** Rates, what is reimbursed, how and when it is paid: copro ships no amounts of its own. */
  payment: text('payment'),
  support: text('support'),
  /** Expectations members confirm one by one; null means copro's default list. */
  checklist: jsonb('checklist').$type<string[]>(),
  /** Newcomers may pick a role such as expert by experience or carer for themselves. */
  selfChosenRoles: boolean('self_chosen_roles').notNull().default(false),
  /** When coordinators were told that access needs cannot be asked without an encryption key. */
  noKeyNoticeAt: timestamp('no_key_notice_at', { withTimezone: true }),
  updatedBy: integer('updated_by').references(() => members.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Where each newcomer is in their onboarding, one row per member per group. */
export const onboardingJourneys = pgTable(
  'onboarding_journeys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** welcome | pack | checklist | profile | access | buddy | role | announce | done */
    step: text('step').notNull(),
    /** Checklist items confirmed so far, in the words the member confirmed. */
    confirmed: jsonb('confirmed').$type<string[]>().notNull().default([]),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** Last time the member moved on: the gentle reminder counts from here. */
    stepAt: timestamp('step_at', { withTimezone: true }).notNull(),
    /** The member chose "Not now": no reminders until they carry on. */
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Bumped on every message sent, so each one has its own outbox identity. */
    sends: integer('sends').notNull().default(0),
  },
  (t) => [
    uniqueIndex('onboarding_journeys_member_uq').on(t.groupId, t.memberId),
    index('onboarding_journeys_open_idx').on(t.groupId, t.stepAt).where(sql`${t.finishedAt} is null`),
  ],
);

/**
 * A member's onboarding answers in one group. Access needs and lived experience are health data:
 * they are stored only sealed (AES-256-GCM), never as plain text, and only after consent.
 */
export const onboardingProfiles = pgTable(
  'onboarding_profiles',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    preferredName: text('preferred_name'),
    pronouns: text('pronouns'),
    timezone: text('timezone'),
    /** chat | email | phone */
    contactMethod: text('contact_method'),
    /** as-needed | weekly | monthly */
    contactFrequency: text('contact_frequency'),
    /** Free tags; buddy matching reads them. */
    interests: jsonb('interests').$type<string[]>().notNull().default([]),
    livedExperienceSealed: text('lived_experience_sealed'),
    wantsBuddy: boolean('wants_buddy'),
    welcomePost: boolean('welcome_post'),
    chosenRole: text('chosen_role'),
    accessConsentAt: timestamp('access_consent_at', { withTimezone: true }),
    accessNeedsSealed: text('access_needs_sealed'),
    /** The member allows coordinators to see their name beside their needs when planning. */
    accessNeedsNamed: boolean('access_needs_named').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);
