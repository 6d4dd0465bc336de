import { type Column, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
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
 * string), json and jsonb. A column left out of a row takes its default. An identity column
 * takes the next number of its sequence, as values() would give it: the SELECT then starts with
 * OVERRIDING SYSTEM VALUE, which Postgres wants for any value not its own default there (Drizzle's
 * overridingSystemValue() is lost on an insert from a select).
 */
export function rowsOf<T extends PgTable>(
  table: T,
  rows: readonly Partial<Record<keyof T['_']['columns'], unknown>>[],
): SQL {
  const columns = insertable(table);
  const given = new Set<string>();
  for (const row of rows) for (const key in row) given.add(key);
  // A column some rows give goes through the JSON (with its default, if any, for the others); one
  // no row gives is its SQL default, or null.
  const select = columns.map(({ key, column, value, identity }) => {
    if (given.has(key)) return value;
    if (identity) return identity;
    if (is(column.default, SQL)) return column.default;
    if (column.default === undefined && column.defaultFn === undefined) return sql`null`;
    given.add(key);
    return value;
  });
  // Dates are written as text here, not left to JSON.stringify: one Date among the values sends
  // the whole array down its slow path (a batch of 32 ballots: 120 µs, against 25 µs), and the
  // rows of a batch mostly share one Date, written once.
  const isoOf = new Map<Date, string | null>();
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const { key, column, isJson } of columns) {
      if (!given.has(key)) continue;
      const v = key in row ? row[key as keyof typeof row] : defaultOf(table, column);
      if (isJson) out[column.name] = v != null ? JSON.stringify(v) : v;
      else if (v instanceof Date) {
        let iso = isoOf.get(v);
        if (iso === undefined) {
          // As JSON.stringify writes one: an invalid Date is null.
          iso = Number.isNaN(v.getTime()) ? null : v.toISOString();
          isoOf.set(v, iso);
        }
        out[column.name] = iso;
      } else out[column.name] = v;
    }
    return out;
  });
  const overriding = columns.some((c) => c.identity) ? sql`overriding system value ` : sql``;
  return sql`${overriding}select ${sql.join(select, sql`, `)} from json_array_elements(${JSON.stringify(json)}::json) as x`;
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
  /** For an identity column: the next number of its sequence, when a row does not give one. */
  readonly identity: SQL | undefined;
}

/** What Drizzle would write for a column a row leaves out (a JS default, or its defaultFn's answer). */
function defaultOf(table: PgTable, column: PgColumn): unknown {
  if (column.defaultFn) return column.defaultFn();
  if (column.default === undefined) return null;
  if (is(column.default, SQL))
    throw new Error(
      `rowsOf: ${getTableName(table)}.${column.name} has an SQL default; give it in every row or none`,
    );
  return column.default;
}

/**
 * `column` is one of `values`: for a long list, as one JSON parameter (the same statement text
 * whatever the number of values), where Drizzle's inArray makes a parameter of each. The list is
 * turned into an array once, so the database still looks each value up in the column's index.
 */
export function oneOf(column: Column, values: readonly (string | number)[]): SQL {
  if (values.length === 0) return sql`false`;
  const type = column.getSQLType();
  return sql`${column} = any(array(select value::${sql.raw(type)} from json_array_elements_text(${JSON.stringify(values)}::json)))`;
}

const known = new WeakMap<PgTable, readonly Insertable[]>();

/** As Drizzle's insert lists them: all but generated columns. */
function insertable(table: PgTable): readonly Insertable[] {
  const had = known.get(table);
  if (had) return had;
  const all = Object.entries(getTableColumns(table) as Record<string, PgColumn>);
  const name = getTableName(table);
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
        identity: (column as unknown as { generatedIdentity?: unknown }).generatedIdentity
          ? sql.raw(`nextval(pg_get_serial_sequence('"${name}"', '${column.name}'))`)
          : undefined,
      };
    });
  known.set(table, columns);
  return columns;
}
