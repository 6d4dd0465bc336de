import { integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { groups } from './groups.js';

/** How long a group keeps personal data it no longer needs. No row means the defaults. */
export const privacySettings = pgTable('privacy_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** Months after someone leaves the group before what copro holds about them is deleted. */
  leftRetentionMonths: integer('left_retention_months').notNull().default(12),
  /** Years the coordinators' record of actions is kept. */
  auditRetentionYears: integer('audit_retention_years').notNull().default(6),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
