import { and, eq } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.js';

/** A table that keeps at most one row for each member of each group: settings, profiles and the like. */
export type PerMemberTable = PgTable & { readonly groupId: AnyPgColumn; readonly memberId: AnyPgColumn };

/** The member's row in such a table, if they have one in this group. */
export async function rowOfMember<T extends PerMemberTable>(
  db: Db | Tx,
  table: T,
  groupId: number,
  memberId: number,
): Promise<T['$inferSelect'] | undefined> {
  const [row] = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.groupId, groupId), eq(table.memberId, memberId)));
  return row as T['$inferSelect'] | undefined;
}

/** Saves `patch` into the member's row, creating the row if they had none; `at` is when. */
export async function saveMemberRow<T extends PerMemberTable & { readonly updatedAt: AnyPgColumn }>(
  db: Db | Tx,
  table: T,
  groupId: number,
  memberId: number,
  patch: Partial<T['$inferInsert']>,
  at: Date,
): Promise<void> {
  const set = { ...patch, updatedAt: at };
  await db
    .insert(table)
    .values({ ...set, groupId, memberId } as T['$inferInsert'])
    .onConflictDoUpdate({ target: [table.groupId, table.memberId], set });
}
