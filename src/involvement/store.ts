/**
 * Involvement records in the database: making them (with what is owed worked out once, from the
 * group's rate and the member's choice), changing them, and moving payments along.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { PaymentStatus } from '../../db/schema/involvement.js';
import { rowOfMember, saveMemberRow } from '../groups/member-row.js';
import { heldRoles } from '../groups/roles.js';
import { DEFAULT_CURRENCY, payFor } from './money.js';
import type { Choice } from './types.js';

export type RecordRow = typeof schema.involvementRecords.$inferSelect;
const { involvementRecords: records, involvementRates: rates, involvementPayChoices: choices } = schema;

export async function rateFor(db: Db | Tx, groupId: number, typeKey: string) {
  const [rate] = await db
    .select()
    .from(rates)
    .where(and(eq(rates.groupId, groupId), eq(rates.typeKey, typeKey)));
  return rate;
}

/** The member's standing choice about payment in this group (paid in full unless they said). */
export async function standingChoice(db: Db | Tx, groupId: number, memberId: number): Promise<Choice> {
  const row = await rowOfMember(db, choices, groupId, memberId);
  return row ? { choice: row.choice, percent: row.percent } : { choice: 'full', percent: null };
}

export async function setStandingChoice(
  db: Db | Tx,
  groupId: number,
  memberId: number,
  choice: Choice,
  now: Date,
): Promise<void> {
  await saveMemberRow(
    db,
    choices,
    groupId,
    memberId,
    { choice: choice.choice, percent: choice.percent },
    now,
  );
}

/** What time is worth, after the member's choice, and where its payment starts. */
export function pricing(
  minutes: number,
  rate: { perHourMinor: number; currency: string } | undefined,
  choice: Choice,
): { rateMinor: number | null; amountMinor: number; currency: string; status: PaymentStatus } {
  if (choice.choice === 'declined')
    return {
      rateMinor: rate?.perHourMinor ?? null,
      amountMinor: 0,
      currency: rate?.currency ?? DEFAULT_CURRENCY,
      status: 'declined',
    };
  if (!rate) return { rateMinor: null, amountMinor: 0, currency: DEFAULT_CURRENCY, status: 'none' };
  const amountMinor = payFor(
    minutes,
    rate.perHourMinor,
    choice.choice === 'less' ? (choice.percent ?? 100) : 100,
  );
  return {
    rateMinor: rate.perHourMinor,
    amountMinor,
    currency: rate.currency,
    status: amountMinor > 0 ? 'owed' : 'none',
  };
}

export interface NewTime {
  readonly groupId: number;
  readonly memberId: number;
  /** Who typed it; nobody when copro made it (from confirmed attendance). */
  readonly loggedBy: number | null;
  readonly typeKey: string;
  readonly minutes: number;
  readonly description: string;
  readonly day: string;
  /** The member's choice for this entry; their standing choice when not given. */
  readonly choice?: Choice;
  readonly sourceKey?: string;
  readonly now: Date;
}

/**
 * Who a record is for, who logged it, the day, and the roles the person holds as it is written:
 * a report counts involvement by the role held at the time, not the role held later.
 */
async function whoAndWhen(
  db: Db | Tx,
  input: { groupId: number; memberId: number; loggedBy: number | null; day: string; now: Date },
) {
  const roles = (await heldRoles(db, input.groupId, input.memberId)).map((h) => h.role.key);
  const { groupId, memberId, loggedBy, day: occurredOn, now } = input;
  return { groupId, memberId, loggedBy, occurredOn, roles, createdAt: now, updatedAt: now };
}

/** Record time. Returns nothing when a record with the same source key already exists. */
export async function addTime(db: Db | Tx, input: NewTime): Promise<RecordRow | undefined> {
  const choice = input.choice ?? (await standingChoice(db, input.groupId, input.memberId));
  const priced = pricing(input.minutes, await rateFor(db, input.groupId, input.typeKey), choice);
  const [row] = await db
    .insert(records)
    .values({
      ...(await whoAndWhen(db, input)),
      kind: 'time',
      typeKey: input.typeKey,
      minutes: input.minutes,
      description: input.description,
      ...priced,
      payChoice: choice.choice,
      payPercent: choice.percent,
      sourceKey: input.sourceKey,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

export interface NewExpense {
  readonly groupId: number;
  readonly memberId: number;
  readonly loggedBy: number;
  readonly kindKey: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly receipt?: string;
  readonly day: string;
  readonly now: Date;
}

export async function addExpense(db: Db | Tx, input: NewExpense): Promise<RecordRow> {
  const [row] = await db
    .insert(records)
    .values({
      ...(await whoAndWhen(db, input)),
      kind: 'expense',
      typeKey: input.kindKey,
      description: input.description,
      receipt: input.receipt,
      amountMinor: input.amountMinor,
      currency: input.currency,
      status: 'owed',
    })
    .returning();
  return row as RecordRow;
}

/** One record of this group, or nothing: another group's records are never found from here. */
export async function recordIn(db: Db | Tx, groupId: number, id: number): Promise<RecordRow | undefined> {
  const [row] = await db
    .select()
    .from(records)
    .where(and(eq(records.groupId, groupId), eq(records.id, id)));
  return row;
}

export async function recordsOfMember(db: Db | Tx, groupId: number, memberId: number): Promise<RecordRow[]> {
  return db
    .select()
    .from(records)
    .where(and(eq(records.groupId, groupId), eq(records.memberId, memberId)))
    .orderBy(asc(records.occurredOn), asc(records.id));
}

/** Payments still to make (owed or approved, for money), oldest first. */
export async function unpaid(db: Db | Tx, groupId: number): Promise<RecordRow[]> {
  return db
    .select()
    .from(records)
    .where(and(eq(records.groupId, groupId), inArray(records.status, ['owed', 'approved'])))
    .orderBy(asc(records.createdAt), asc(records.id));
}

export type Move = 'approve' | 'pay';

export interface MoveResult {
  readonly moved: RecordRow[];
  /** Ids not found in this group (or with nothing to pay). */
  readonly unknown: number[];
  /** Ids found, but already approved (approve) or already paid. */
  readonly already: RecordRow[];
}

/** Approve payments, or mark them paid. Only this group's records that are waiting move. */
export async function movePayments(
  db: Db,
  groupId: number,
  ids: readonly number[],
  move: Move,
  by: number,
  now: Date,
  /** Runs for each record moved, in the same transaction: to tell the member. */
  onMoved?: (tx: Tx, row: RecordRow) => Promise<void>,
): Promise<MoveResult> {
  return db.transaction(async (tx) => {
    const found = ids.length
      ? await tx
          .select()
          .from(records)
          .where(and(eq(records.groupId, groupId), inArray(records.id, [...ids])))
          .for('update')
      : [];
    const payable = found.filter((r) => ['owed', 'approved', 'paid'].includes(r.status));
    const unknown = ids.filter((id) => !payable.some((r) => r.id === id));
    const from: PaymentStatus[] = move === 'approve' ? ['owed'] : ['owed', 'approved'];
    const waiting = payable.filter((r) => from.includes(r.status));
    const already = payable.filter((r) => !from.includes(r.status));
    const moved: RecordRow[] = [];
    for (const r of waiting) {
      const set =
        move === 'approve'
          ? { status: 'approved' as const, approvedAt: now, approvedBy: by, updatedAt: now }
          : {
              status: 'paid' as const,
              approvedAt: r.approvedAt ?? now,
              approvedBy: r.approvedBy ?? by,
              paidAt: now,
              paidBy: by,
              updatedAt: now,
            };
      const [row] = await tx.update(records).set(set).where(eq(records.id, r.id)).returning();
      if (!row) continue;
      moved.push(row);
      await onMoved?.(tx, row);
    }
    return { moved, unknown, already };
  });
}
