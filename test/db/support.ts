import { sql } from 'drizzle-orm';
import type { openDb } from '../../db/client.js';

/** Tables every migrated copro database has, whatever features it carries. */
export const expectedTables = [
  'audit_log',
  'group_members',
  'groups',
  'members',
  'processed_events',
  'role_assignments',
  'roles',
];

export async function tables(opened: Awaited<ReturnType<typeof openDb>>): Promise<string[]> {
  const result = await opened.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { tablename: string }[] }).rows;
  return rows.map((r) => r.tablename);
}
