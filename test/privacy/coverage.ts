/**
 * The completeness checks' view of the database: for each table, the rows that point at one
 * person, found column by column from the Drizzle schema and the features' declarations, not
 * from any list written for the test.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { MemberRow } from '../../db/client.js';
import { defaultFeatures } from '../../src/app.js';
import type { NamedPersonalData } from '../../src/privacy/declaration.js';
import { personLikeColumns, type SchemaColumn } from '../../src/privacy/schema-columns.js';
import type { TestDb } from '../support/db.js';

export function declarations(): NamedPersonalData[] {
  return defaultFeatures().flatMap((f) => (f.personalData ? [{ ...f.personalData, feature: f.name }] : []));
}

/** Whether a value of this column points at the person: by member id, platform id or mention. */
function pointsAt(c: SchemaColumn, member: MemberRow): SQL {
  const col = sql.raw(`"${c.table}"."${c.column}"`);
  const userId = member.userId;
  if (c.table === 'members') return sql`"members"."id" = ${member.id}`;
  if (c.sqlType === 'integer' || c.sqlType === 'bigint') return sql`${col} = ${member.id}`;
  const text = sql`${col}::text`;
  // The people in these tests have platform ids found nowhere else, so "contains" is exact enough.
  const byText = sql`(${text} like ${`%${userId}%`} or ${text} = ${`m:${member.id}`})`;
  if (c.sqlType === 'jsonb')
    return sql`(${col} @> ${String(member.id)}::jsonb or ${col} @> ${JSON.stringify({ memberId: member.id })}::jsonb or ${byText})`;
  return byText;
}

export interface Reach {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: number;
}

/**
 * For every table with a column declared as pointing at a person (and exported), how many of its
 * rows point at this member.
 */
export async function rowsPointingAt(
  db: TestDb,
  member: MemberRow,
  options: { readonly exportedOnly: boolean },
): Promise<Reach[]> {
  const all = declarations();
  const declared = new Set(all.flatMap((d) => d.refersToPerson));
  const hidden = new Set(all.flatMap((d) => Object.keys(d.notExported ?? {})));
  const byTable = new Map<string, SchemaColumn[]>();
  for (const c of personLikeColumns()) {
    if (!declared.has(c.name)) continue;
    if (options.exportedOnly && hidden.has(c.name)) continue;
    byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  }
  const out: Reach[] = [];
  for (const [table, columns] of byTable) {
    const where = sql.join(
      columns.map((c) => pointsAt(c, member)),
      sql` or `,
    );
    const result = await db.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.raw(`"${table}"`)} where ${where}`,
    );
    const rows = Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows;
    out.push({ table, columns: columns.map((c) => c.column), rows: rows[0]?.n ?? 0 });
  }
  return out;
}
