import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows as one parameter, for `db.insert(table).select(rowsOf(table, rows))`: a SELECT of
 * every insertable column, in the table's order, from the elements of one JSON array.
 *
 * Drizzle builds a multi-row VALUES list parameter by parameter, about 50 µs a row, and every
 * new number of rows is a new statement for the server to prepare. The hottest writes (a burst
 * of clicks: the inbox, the events handled, the ballots) cost more there than in the database.
 * This is one JSON parameter and one statement text, whatever the number of rows.
 *
 * For plain columns only: text, numbers, booleans, uuids, timestamps (a Date becomes its ISO
 * string), json and jsonb; not for a table with an identity column, which a SELECT cannot fill.
 * A column left out of every row takes its default, which must be SQL
 * (defaultNow, defaultRandom, sql`…`) or absent (null).
 */
export function rowsOf<T extends PgTable>(
  table: T,
  rows: readonly Partial<Record<keyof T['_']['columns'], unknown>>[],
): SQL {
  const columns = insertable(table);
  const given = new Set(rows.flatMap((row) => Object.keys(row)));
  const select = columns.map(({ key, column, value }) => {
    if (given.has(key)) return value;
    if (column.default === undefined) return sql`null`;
    if (is(column.default, SQL)) return column.default;
    throw new Error(`rowsOf: ${getTableName(table)}.${column.name} has a default that is not SQL`);
  });
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const { key, column, isJson } of columns) {
      const v = row[key as keyof typeof row];
      if (key in row) out[column.name] = isJson && v != null ? JSON.stringify(v) : v;
    }
    return out;
  });
  return sql`select ${sql.join(select, sql`, `)} from json_array_elements(${JSON.stringify(json)}::json) as x`;
}

interface Insertable {
  readonly key: string;
  readonly column: PgColumn;
  /** The column's value in the row `x`: its text, cast to its type. */
  readonly value: SQL;
  /**
   * A json or jsonb value goes as its own JSON text, in a string: Postgres decodes the escapes
   * of a string it reads, and would refuse a NUL character (\u0000) inside the value, which a
   * json column keeps as sent.
   */
  readonly isJson: boolean;
}

const known = new WeakMap<PgTable, readonly Insertable[]>();

/** As Drizzle's insert lists them: all but generated columns. */
function insertable(table: PgTable): readonly Insertable[] {
  const had = known.get(table);
  if (had) return had;
  const all = Object.entries(getTableColumns(table) as Record<string, PgColumn>);
  if (all.some(([, column]) => (column as unknown as { generatedIdentity?: unknown }).generatedIdentity))
    throw new Error(`rowsOf: ${getTableName(table)} has an identity column; insert its rows with values()`);
  const columns = all
    .filter(([, column]) => !(column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert())
    .map(([key, column]) => {
      const type = column.getSQLType();
      // Column names come from the schema, never from input.
      return {
        key,
        column,
        value: sql.raw(`(x ->> '${column.name}')::${type}`),
        isJson: type === 'json' || type === 'jsonb',
      };
    });
  known.set(table, columns);
  return columns;
}
