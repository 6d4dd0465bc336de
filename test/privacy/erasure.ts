import { eq, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { schema } from '../../db/client.js';
import { schemaTables } from '../../src/privacy/schema-columns.js';
import type { TestDb } from '../support/db.js';
import { ann, samira, type World } from './support.js';

/** What erasure tests look for after a member's data is deleted, and what must not change. */
export const samiraRow = async (db: TestDb) =>
  (await db.db.select().from(schema.members).where(eq(schema.members.userId, samira.userId)))[0];

/** Everything Samira typed or is known by, as it could appear in any column of any table. */
export const TRACES = ['u0samira7', 'Samira', 'Quillfeather', 'bipolar', 'Mornings are hard', 'she/her'];

/** Rows of any table whose text holds one of the traces. */
export async function traces(db: TestDb): Promise<string[]> {
  const found: string[] = [];
  for (const table of schemaTables()) {
    const name = getTableConfig(table).name;
    for (const trace of TRACES) {
      const result = await db.db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.raw(`"${name}"`)} t where t::text ilike ${`%${trace}%`}`,
      );
      const rows = Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows;
      if ((rows[0]?.n ?? 0) > 0) found.push(`${name}: ${trace}`);
    }
  }
  return found;
}

/** The group's totals: votes per poll and answer, pairs per round and how many met. */
export async function totals(db: TestDb, world: World) {
  const votes = await db.db.execute<{ code: string; choices: string; n: number }>(
    sql`select p.code, v.choices::text as choices, count(*)::int as n from poll_votes v join polls p on p.id = v.poll_id group by 1, 2 order by 1, 2`,
  );
  const history = await world.say(ann, 'match history');
  const report = await world.say(ann, 'report');
  const polls = await world.say(ann, 'polls');
  const rows = Array.isArray(votes) ? votes : (votes as { rows: unknown[] }).rows;
  // The people who gave time: after forget-me, one "former member" stands for everyone erased.
  const people = /Time: .* from (\d+) (person|people)/.exec(report.text)?.[1];
  return { votes: rows, history: history.text, polls: polls.text, people };
}
