import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { groups, type Platform } from './groups.js';

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

/**
 * Secrets copro keeps in its database only sealed with COPRO_ENCRYPTION_KEY (src/privacy/sealed.ts),
 * so that they outlive a change of that key: "voter", the key behind anonymous voter hashes.
 */
export const sealedSecrets = pgTable('sealed_secrets', {
  name: text('name').primaryKey(),
  secretSealed: text('secret_sealed').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Slack workspaces and Discord servers that removed copro. While a row is here nothing runs for
 * them; at `erase_at` everything copro holds about them is erased, and the row goes too.
 */
export const removedWorkspaces = pgTable(
  'removed_workspaces',
  {
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }).notNull(),
    eraseAt: timestamp('erase_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.workspaceId] })],
);
