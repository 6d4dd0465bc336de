import type { schema } from '../../db/client.js';

export type GroupRow = typeof schema.groups.$inferSelect;
export type MemberRow = typeof schema.members.$inferSelect;
export type RoleRow = typeof schema.roles.$inferSelect;
