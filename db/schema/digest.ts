import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { groups } from './groups.js';

/** When each group's weekly digest goes out. No row means the default: Monday 09:00. */
export const digestSchedules = pgTable('digest_schedules', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** ISO weekday, 1 = Monday … 7 = Sunday, in the group's timezone. */
  weekday: integer('weekday').notNull().default(1),
  /** Local time of day, "HH:MM". */
  localTime: text('local_time').notNull().default('09:00'),
  /** When the last digest was sent: the next one covers what happened since. */
  lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
