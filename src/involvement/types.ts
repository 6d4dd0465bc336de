/**
 * The kinds of involvement and of expenses, and a member's choice about payment, as people type
 * them. Built-in types are the same for every group; a group can add its own.
 */
import { asc, eq } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { PayChoice } from '../../db/schema/involvement.js';
import { literal } from '../chat/index.js';
import { UserError } from '../errors.js';

export interface InvolvementType {
  readonly key: string;
  readonly name: string;
}

export const BUILT_IN_TYPES: readonly InvolvementType[] = [
  { key: 'meeting', name: 'meeting' },
  { key: 'preparation', name: 'preparation' },
  { key: 'review', name: 'document review' },
  { key: 'interview-panel', name: 'interview panel' },
  { key: 'training', name: 'training' },
  { key: 'event', name: 'event' },
  { key: 'other', name: 'other' },
];

/** Other words people use for a built-in type. */
const ALIASES: Readonly<Record<string, string>> = {
  'document-review': 'review',
  reviewing: 'review',
  prep: 'preparation',
  preparing: 'preparation',
  interview: 'interview-panel',
  interviews: 'interview-panel',
  panel: 'interview-panel',
  meetings: 'meeting',
  events: 'event',
};

export const EXPENSE_KINDS: readonly InvolvementType[] = [
  { key: 'travel', name: 'travel' },
  { key: 'carer-cover', name: 'carer cover' },
  { key: 'childcare', name: 'childcare' },
  { key: 'other', name: 'other' },
];

export const MAX_TYPE_NAME = 40;

export function typeKey(raw: string): string {
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}-]/gu, '');
  return ALIASES[key] ?? key;
}

export async function typesOf(db: Db | Tx, groupId: number): Promise<InvolvementType[]> {
  const own = await db
    .select({ key: schema.involvementTypes.key, name: schema.involvementTypes.name })
    .from(schema.involvementTypes)
    .where(eq(schema.involvementTypes.groupId, groupId))
    .orderBy(asc(schema.involvementTypes.createdAt));
  return [...BUILT_IN_TYPES, ...own];
}

export const nameOfType = (types: readonly InvolvementType[], key: string): string =>
  types.find((t) => t.key === key)?.name ?? key.replace(/-/g, ' ');

/** The type someone typed, or a plain refusal listing the group's types. */
export async function resolveType(db: Db | Tx, groupId: number, raw: string): Promise<InvolvementType> {
  const types = await typesOf(db, groupId);
  const key = typeKey(raw);
  const found = types.find((t) => t.key === key);
  if (found) return found;
  throw new UserError(
    'unknown_type',
    `"${literal(raw.slice(0, 40))}" is not a type this group uses. The types are: ${types.map((t) => t.name).join(', ')}. A coordinator can add one with /copro log type add "name".`,
  );
}

export function resolveExpenseKind(raw: string): InvolvementType {
  const key = typeKey(raw).replace(/^carer$|^carers$|^care-cover$/, 'carer-cover');
  const found = EXPENSE_KINDS.find((k) => k.key === key);
  if (found) return found;
  throw new UserError(
    'unknown_kind',
    `"${literal(raw.slice(0, 40))}" is not a kind of expense copro knows. Choose ${EXPENSE_KINDS.map((k) => k.name).join(', ')}.`,
  );
}

export interface Choice {
  readonly choice: PayChoice;
  readonly percent: number | null;
}

/** "full", "none" (or "decline"), "50%": how much of what is due a member takes. */
export function readChoice(raw: string): Choice {
  const text = raw.trim().toLowerCase();
  if (['full', 'yes', 'paid', 'all', '100%'].includes(text)) return { choice: 'full', percent: null };
  if (['none', 'no', 'decline', 'declined', '0%', '0'].includes(text))
    return { choice: 'declined', percent: null };
  const share = /^(\d{1,2})\s*%$/.exec(text);
  if (share?.[1] && Number(share[1]) >= 1) return { choice: 'less', percent: Number(share[1]) };
  throw new UserError(
    'bad_choice',
    'Say "full" to be paid in full, a share such as "50%" to take less, or "none" to decline payment.',
  );
}

export function describeChoice(c: Choice): string {
  switch (c.choice) {
    case 'full':
      return 'paid in full';
    case 'less':
      return `paid ${c.percent}% of the rate`;
    case 'declined':
      return 'not paid (you declined payment)';
  }
}
