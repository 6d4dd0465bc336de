import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The chat platforms copro speaks to (PlatformKind in src/chat; db/ does not import src/). */
export type Platform = 'slack' | 'discord' | 'console';

/** A co-production group: one per home channel. */
export const groups = pgTable(
  'groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    homeChannelId: text('home_channel_id').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull().default('Europe/London'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('groups_home_channel_uq').on(t.platform, t.workspaceId, t.homeChannelId)],
);

/** A person, linked to one platform account. */
export const members = pgTable(
  'members',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    displayName: text('display_name').notNull(),
    timezone: text('timezone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('members_account_uq').on(t.platform, t.workspaceId, t.userId)],
);

/** Who belongs to which group. Leaving keeps the row (with left_at) for involvement records. */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('group_members_uq').on(t.groupId, t.memberId)],
);

/** Roles a group knows: the built-in ones, copied in at setup, and ones its coordinators define. */
export const roles = pgTable(
  'roles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    builtIn: boolean('built_in').notNull().default(false),
    /**
     * Holding it can say something about a person's health or life (expert by experience,
     * carer): only coordinators and the holder see who holds it, unless the holder shows it.
     */
    sensitive: boolean('sensitive').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('roles_group_key_uq').on(t.groupId, t.key)],
);

/** Who holds which role. A removal sets removed_at and keeps the row as history. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    roleKey: text('role_key').notNull(),
    /** The holder chose to let the whole group see that they hold this (sensitive) role. */
    shownToGroup: boolean('shown_to_group').notNull().default(false),
    assignedBy: integer('assigned_by').references(() => members.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    removedBy: integer('removed_by').references(() => members.id, { onDelete: 'set null' }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('role_assignments_current_uq')
      .on(t.groupId, t.memberId, t.roleKey)
      .where(sql`${t.removedAt} is null`),
    index('role_assignments_group_idx').on(t.groupId),
  ],
);

/** What coordinators did, for accountability. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    actorMemberId: integer('actor_member_id').references(() => members.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetMemberId: integer('target_member_id').references(() => members.id, { onDelete: 'set null' }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_group_idx').on(t.groupId, t.createdAt)],
);
