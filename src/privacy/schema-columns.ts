/**
 * Which columns of the schema could point at a person, read from the Drizzle tables themselves,
 * so a table added tomorrow is included without anyone remembering to list it. Its answer is
 * deliberately wide: a column is asked about when it references members, when its name sounds
 * like a person (member, user, voter, recipient, destination, *_by), when it is json or jsonb
 * (anything can be inside), or when it is in the members table. Each feature then says, for its own
 * tables, which of those refer to a person and which do not (src/privacy/declaration.ts).
 */
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { schema } from '../../db/client.js';
import type { ColumnName } from './declaration.js';

export interface SchemaColumn {
  readonly name: ColumnName;
  readonly table: string;
  readonly column: string;
  /** How the value is stored: integer, text, jsonb ... */
  readonly sqlType: string;
  /** It is a foreign key to members.id. */
  readonly referencesMembers: boolean;
}

const PERSON_LIKE = /(^|_)(member|members|user|users|voter|recipient|destination)(_|$)|_by$/;

/** Tables that hold nothing about a person by construction: the schema's own bookkeeping. */
const WITHOUT_PEOPLE = new Set(['processed_events']);

export function schemaTables(): PgTable[] {
  const values: unknown[] = Object.values(schema);
  return values.filter((value): value is PgTable => is(value, PgTable));
}

/** Every column of every table that could point at a person. */
export function personLikeColumns(): SchemaColumn[] {
  const found: SchemaColumn[] = [];
  for (const table of schemaTables()) {
    const config = getTableConfig(table);
    if (WITHOUT_PEOPLE.has(config.name)) continue;
    const toMembers = new Set<string>();
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      if (getTableConfig(ref.foreignTable).name !== 'members') continue;
      for (const c of ref.columns) toMembers.add(c.name);
    }
    for (const column of config.columns) {
      const sqlType = column.getSQLType();
      const referencesMembers = toMembers.has(column.name);
      if (
        config.name === 'members' ||
        referencesMembers ||
        sqlType === 'jsonb' ||
        sqlType === 'json' ||
        PERSON_LIKE.test(column.name)
      ) {
        found.push({
          name: `${config.name}.${column.name}`,
          table: config.name,
          column: column.name,
          sqlType,
          referencesMembers,
        });
      }
    }
  }
  return found;
}
