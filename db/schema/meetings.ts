import { sql } from 'drizzle-orm';
import {
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

/** What a meeting offers, shown with its agenda so that people can plan how to take part. */
export interface MeetingAccess {
  readonly stepFree?: boolean;
  readonly captions?: boolean;
  readonly breaks?: boolean;
  /** When papers will follow, in the coordinator's words ("by Friday 4 December"). */
  readonly papersBy?: string;
}

/**
 * A group meeting. Each occurrence of a recurring meeting is a row of its own (sharing a
 * series), so one can be moved or cancelled without touching the others.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Short, readable id people type: "M7K2". */
    code: text('code').notNull(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** The first occurrence's id, shared by every occurrence of a recurring meeting. */
    seriesId: integer('series_id'),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    lengthMinutes: integer('length_minutes').notNull(),
    location: text('location'),
    access: jsonb('access').$type<MeetingAccess>().notNull().default({}),
    /** Links to papers, in the order they were added. */
    papers: jsonb('papers').$type<string[]>().notNull().default([]),
    /** scheduled | cancelled */
    status: text('status').$type<'scheduled' | 'cancelled'>().notNull().default('scheduled'),
    /** Bumped on every change people's calendars should pick up (the calendar file's SEQUENCE). */
    sequence: integer('sequence').notNull().default(0),
    /** When the agenda was first posted in the channel; from then on, changes update that post. */
    agendaPostedAt: timestamp('agenda_posted_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('meetings_code_uq').on(t.code),
    index('meetings_group_starts_idx').on(t.groupId, t.startsAt),
  ],
);

/**
 * An item on a meeting's agenda, proposed by any member. `position` orders the open items;
 * a deferred item waits for the group's next meeting; a merged one lives on inside another.
 */
export const agendaItems = pgTable(
  'agenda_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    note: text('note'),
    minutes: integer('minutes'),
    /** Who proposed it: told what was decided about it. */
    raisedBy: integer('raised_by').references(() => members.id, { onDelete: 'set null' }),
    /** Who will speak to it: the proposer unless they named someone else. */
    speakerId: integer('speaker_id').references(() => members.id, { onDelete: 'set null' }),
    /** open | deferred | merged */
    status: text('status').$type<'open' | 'deferred' | 'merged'>().notNull().default('open'),
    mergedInto: integer('merged_into'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agenda_items_meeting_idx').on(t.meetingId, t.position)],
);

/** Who said they are going. One answer per member per meeting; the latest click wins. */
export const meetingRsvps = pgTable(
  'meeting_rsvps',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** going | not-going | maybe */
    status: text('status').$type<'going' | 'not-going' | 'maybe'>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.memberId] }),
    index('meeting_rsvps_going_idx').on(t.meetingId).where(sql`${t.status} = 'going'`),
  ],
);

/** Group-level meeting settings. No row means the defaults. */
export const meetingSettings = pgTable('meeting_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** How many days before a meeting its agenda is posted. */
  postAheadDays: integer('post_ahead_days').notNull().default(7),
});

/** Members who asked not to get meeting reminders in a group. */
export const meetingReminderOptOuts = pgTable(
  'meeting_reminder_opt_outs',
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

/**
 * Whether a member was at a meeting: they say so the day after, and a coordinator confirms it.
 * Involvement records count only confirmed attendance.
 */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** attended | absent */
    status: text('status').$type<'attended' | 'absent'>().notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: integer('confirmed_by').references(() => members.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.memberId] })],
);

/** What a meeting decided, and the actions it agreed, each linked to the item it came from. */
export const meetingOutcomes = pgTable(
  'meeting_outcomes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    /** decision | action */
    kind: text('kind').$type<'decision' | 'action'>().notNull(),
    text: text('text').notNull(),
    agendaItemId: integer('agenda_item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    recordedBy: integer('recorded_by').references(() => members.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('meeting_outcomes_meeting_idx').on(t.meetingId)],
);
