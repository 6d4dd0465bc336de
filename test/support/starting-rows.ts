import { sql } from 'drizzle-orm';
import type { OpenedDb } from '../../db/client.js';

/**
 * Rows many tests in a file start from (a group set up, people joined, a member's whole life),
 * made by commands once and copied back before each later test. Copying the rows back costs a
 * few milliseconds; doing the commands again costs tens to hundreds, in every test.
 */
export type StartFrom = <T>(name: string, build: () => Promise<T>) => Promise<T>;

/** Runs several statements at once where the driver can, else one at a time. */
export type RunStatements = (statements: readonly string[]) => Promise<void>;

interface Kept<T> {
  readonly schema: string;
  readonly restore: readonly string[];
  readonly value: T;
}

/** Numbers the copies' schemas across the worker, so two open databases never share one. */
let copies = 0;

const rowsOf = <R>(result: unknown): R[] =>
  Array.isArray(result) ? (result as R[]) : (result as { rows: R[] }).rows;

/**
 * `startFrom(name, build)`: the first time, empties the database, runs `build` and keeps the rows
 * it made (and what it returned); after that, puts exactly those rows back, ids and all, and
 * hands back the same value. Copies live in their own schemas, which `forget` drops.
 */
export function startingRows(
  opened: OpenedDb,
  empty: () => Promise<void>,
  run: RunStatements,
): { startFrom: StartFrom; forget: () => Promise<void> } {
  const kept = new Map<string, Kept<unknown>>();

  async function keep<T>(value: T): Promise<Kept<T>> {
    copies += 1;
    const schema = `starting_rows_${copies}`;
    const tables = rowsOf<{ tablename: string }>(
      await opened.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`),
    ).map((r) => r.tablename);
    const sequences = rowsOf<{ sequencename: string; last_value: string | null }>(
      await opened.db.execute(
        sql`select sequencename, last_value from pg_sequences where schemaname = 'public'`,
      ),
    );
    await run([
      `drop schema if exists ${schema} cascade`,
      `create schema ${schema}`,
      ...tables.map((t) => `create table ${schema}."${t}" as select * from public."${t}"`),
    ]);
    const restore = [
      'set session_replication_role = replica',
      ...tables.map((t) => `delete from public."${t}"`),
      ...tables.map(
        (t) => `insert into public."${t}" overriding system value select * from ${schema}."${t}"`,
      ),
      'set session_replication_role = origin',
      ...sequences.map(({ sequencename: s, last_value: v }) =>
        v === null
          ? `select setval('public."${s}"', 1, false)`
          : `select setval('public."${s}"', ${v}, true)`,
      ),
    ];
    return { schema, restore, value };
  }

  return {
    async startFrom<T>(name: string, build: () => Promise<T>): Promise<T> {
      const found = kept.get(name) as Kept<T> | undefined;
      if (found) {
        await run(found.restore);
        return found.value;
      }
      await empty();
      const made = await keep(await build());
      kept.set(name, made);
      return made.value;
    },
    async forget() {
      if (kept.size === 0) return;
      await run([...kept.values()].map((k) => `drop schema if exists ${k.schema} cascade`));
      kept.clear();
    },
  };
}
