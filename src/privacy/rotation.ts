/**
 * Changing the encryption key: every sealed value (each feature's `personalData.sealed` names its
 * columns) is opened with whichever key sealed it and sealed again with the current key. The work
 * goes in batches, one short transaction each, in primary-key order; rows another transaction is
 * writing are skipped (FOR UPDATE SKIP LOCKED), and rows already under the new key are never
 * touched, so copro keeps running meanwhile, and a run stopped half way (a crash, Ctrl-C) is
 * simply run again. A value no key opens is left as it is and counted.
 */
import { and, asc, getTableColumns, isNotNull, like, not, type SQL, sql } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import type { NamedPersonalData, SealedColumn } from './declaration.js';
import { schemaTables } from './schema-columns.js';
import { currentKey, type Keyring, knownKeys, LEGACY_PREFIX, seal, sealedPrefix, unseal } from './sealed.js';

export const ROTATION_BATCH = 200;

/** A sealed column, found in the schema. */
interface Target {
  readonly declared: SealedColumn;
  readonly table: PgTable;
  readonly column: PgColumn;
  /** The column's key in the table object, for update().set(). */
  readonly field: string;
  readonly primaryKey: readonly PgColumn[];
  /** Every column, keyed by its SQL name, for the context. */
  readonly selection: Record<string, PgColumn>;
}

/** Every column some feature declares sealed, with where it is in the schema. */
export function sealedColumns(declarations: readonly NamedPersonalData[]): SealedColumn[] {
  return declarations.flatMap((d) => d.sealed ?? []);
}

function targetOf(declared: SealedColumn): Target {
  const [tableName, columnName] = declared.column.split('.');
  const table = schemaTables().find((t) => getTableConfig(t).name === tableName);
  if (!table) throw new Error(`${declared.column} is declared sealed, but there is no table ${tableName}`);
  const config = getTableConfig(table);
  const fields = Object.entries(getTableColumns(table));
  const found = fields.find(([, c]) => c.name === columnName);
  if (!found) throw new Error(`${declared.column} is declared sealed, but there is no such column`);
  const primaryKey = [...config.columns.filter((c) => c.primary), ...(config.primaryKeys[0]?.columns ?? [])];
  if (primaryKey.length === 0) throw new Error(`${tableName} has no primary key to rotate by`);
  return {
    declared,
    table,
    column: found[1],
    field: found[0],
    primaryKey,
    selection: Object.fromEntries(config.columns.map((c) => [c.name, c])),
  };
}

export interface RotationProgress {
  readonly column: string;
  /** Values resealed in this batch. */
  readonly resealed: number;
  /** Values in this batch that no key opened. */
  readonly unopened: number;
}

export interface RotationResult {
  /** Values resealed with the new key by this run. */
  readonly resealed: number;
  /** Values that no key opens: left as they were. */
  readonly unopened: number;
  /** Values that were under the new key already when this run began. */
  readonly already: number;
  /** False when the run stopped early (maxBatches): run it again to finish. */
  readonly finished: boolean;
}

export interface RotationOptions {
  readonly batchSize?: number;
  /** Stop after this many batches (to spread the work out, or in tests, to stop half way). */
  readonly maxBatches?: number;
  /** Called after each batch has committed. */
  readonly onBatch?: (progress: RotationProgress) => void | Promise<void>;
}

/** Reseal every sealed value with `keys.current`, opening each with whichever known key sealed it. */
export async function rotateSealed(
  db: Db,
  declarations: readonly NamedPersonalData[],
  keys: Keyring,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const size = options.batchSize ?? ROTATION_BATCH;
  const fresh = sealedPrefix(currentKey(keys));
  let resealed = 0;
  let unopened = 0;
  let already = 0;
  let batches = 0;
  for (const target of sealedColumns(declarations).map(targetOf)) {
    const { table, column, primaryKey } = target;
    const [counted] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(like(column, `${fresh}%`));
    already += Number(counted?.n ?? 0);
    let after: unknown[] | undefined;
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        return { resealed, unopened, already, finished: false };
      }
      const batch = await db.transaction(async (tx) => {
        const conditions: SQL[] = [isNotNull(column), not(like(column, `${fresh}%`))];
        if (after)
          conditions.push(
            sql`(${sql.join([...primaryKey], sql`, `)}) > (${sql.join(
              after.map((v) => sql`${v}`),
              sql`, `,
            )})`,
          );
        const rows = await tx
          .select(target.selection)
          .from(table)
          .where(and(...conditions))
          .orderBy(...primaryKey.map((c) => asc(c)))
          .limit(size)
          .for('update', { skipLocked: true });
        let done = 0;
        let failed = 0;
        for (const row of rows as Record<string, unknown>[]) {
          const context = target.declared.context(row);
          const plain = unseal(keys, String(row[column.name]), context);
          if (plain === undefined) {
            failed += 1;
            continue;
          }
          const where = and(...primaryKey.map((c) => sql`${c} = ${row[c.name]}`));
          await tx
            .update(table)
            .set({ [target.field]: seal(keys, plain, context) })
            .where(where);
          done += 1;
        }
        const last = rows.at(-1) as Record<string, unknown> | undefined;
        return { done, failed, count: rows.length, last: last && primaryKey.map((c) => last[c.name]) };
      });
      batches += 1;
      resealed += batch.done;
      unopened += batch.failed;
      if (batch.count > 0)
        await options.onBatch?.({
          column: target.declared.column,
          resealed: batch.done,
          unopened: batch.failed,
        });
      if (batch.count < size || !batch.last) break;
      after = batch.last;
    }
  }
  return { resealed, unopened, already, finished: true };
}

/** How many sealed values are not under `key` yet: 0 once a rotation to it has finished. */
export async function notUnder(db: Db, declarations: readonly NamedPersonalData[], key: Buffer) {
  let left = 0;
  for (const { table, column } of sealedColumns(declarations).map(targetOf)) {
    const [counted] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(and(isNotNull(column), not(like(column, `${sealedPrefix(key)}%`))));
    left += Number(counted?.n ?? 0);
  }
  return left;
}

/**
 * How many sealed values none of the keys given could open: all of them without a key. Values
 * that name their key are told apart by that name; a value from before keys were named is tried
 * with each key (there are few, and only from older copro).
 */
export async function unreadable(
  db: Db,
  columns: readonly SealedColumn[],
  key: Keyring | undefined,
): Promise<number> {
  const prefixes = key ? [...knownKeys(key).map(sealedPrefix), LEGACY_PREFIX] : [];
  let count = 0;
  for (const target of columns.map(targetOf)) {
    const { table, column } = target;
    const [counted] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(and(isNotNull(column), ...prefixes.map((p) => not(like(column, `${p}%`)))));
    count += Number(counted?.n ?? 0);
    if (!key) continue;
    const legacy = await db
      .select(target.selection)
      .from(table)
      .where(like(column, `${LEGACY_PREFIX}%`));
    for (const row of legacy as Record<string, unknown>[]) {
      const value = row[target.column.name] as string;
      if (unseal(key, value, target.declared.context(row)) === undefined) count++;
    }
  }
  return count;
}
