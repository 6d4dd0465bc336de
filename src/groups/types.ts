import type { schema } from '../../db/client.js';

export type { GroupRow, MemberRow } from '../../db/client.js';
export type RoleRow = typeof schema.roles.$inferSelect;
