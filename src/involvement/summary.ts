/**
 * The numbers in a report, worked out from records alone (no database), so that tests can check
 * them against a plain recount of random records.
 */
import type { PaymentStatus } from '../../db/schema/involvement.js';

export interface SummaryRecord {
  readonly kind: 'time' | 'expense';
  readonly typeKey: string;
  readonly minutes: number | null;
  readonly memberId: number | null;
  readonly roles: readonly string[];
  readonly amountMinor: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  readonly createdAt: Date;
  readonly paidAt: Date | null;
}

/** Hours of someone who holds no role are counted under this key. */
export const NO_ROLE = '';

export interface Summary {
  readonly minutes: number;
  readonly byType: ReadonlyMap<string, number>;
  /** Each record counts once for every role its member held; so these can add up to more. */
  readonly byRole: ReadonlyMap<string, number>;
  /** Distinct people with time or expenses recorded (forgotten members are not counted). */
  readonly people: number;
  readonly owed: ReadonlyMap<string, number>;
  readonly owedCount: number;
  readonly approvedCount: number;
  readonly paid: ReadonlyMap<string, number>;
  readonly paidCount: number;
  readonly declinedCount: number;
  /** Mean days from being recorded to being paid, to one decimal place; none when nothing was paid. */
  readonly averageDaysToPay: string | undefined;
  readonly expenseCount: number;
  readonly expenses: ReadonlyMap<string, number>;
  readonly expensesByKind: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

const DAY_MS = 86_400_000;

export function summarise(records: readonly SummaryRecord[]): Summary {
  let minutes = 0;
  const byType = new Map<string, number>();
  const byRole = new Map<string, number>();
  const people = new Set<number>();
  const owed = new Map<string, number>();
  const paid = new Map<string, number>();
  const expenses = new Map<string, number>();
  const expensesByKind = new Map<string, Map<string, number>>();
  let owedCount = 0;
  let approvedCount = 0;
  let paidCount = 0;
  let declinedCount = 0;
  let expenseCount = 0;
  let waitedMs = 0;
  for (const r of records) {
    if (r.memberId !== null) people.add(r.memberId);
    if (r.kind === 'time') {
      const m = r.minutes ?? 0;
      minutes += m;
      add(byType, r.typeKey, m);
      if (r.roles.length === 0) add(byRole, NO_ROLE, m);
      for (const role of new Set(r.roles)) add(byRole, role, m);
    } else {
      expenseCount += 1;
      add(expenses, r.currency, r.amountMinor);
      const kind = expensesByKind.get(r.typeKey) ?? new Map<string, number>();
      add(kind, r.currency, r.amountMinor);
      expensesByKind.set(r.typeKey, kind);
    }
    if (r.status === 'owed' || r.status === 'approved') {
      add(owed, r.currency, r.amountMinor);
      owedCount += 1;
      if (r.status === 'approved') approvedCount += 1;
    } else if (r.status === 'paid') {
      add(paid, r.currency, r.amountMinor);
      paidCount += 1;
      waitedMs += Math.max(0, (r.paidAt ?? r.createdAt).getTime() - r.createdAt.getTime());
    } else if (r.status === 'declined') declinedCount += 1;
  }
  const tenths = paidCount > 0 ? Math.round((waitedMs * 10) / (paidCount * DAY_MS)) : undefined;
  return {
    minutes,
    byType,
    byRole,
    people: people.size,
    owed,
    owedCount,
    approvedCount,
    paid,
    paidCount,
    declinedCount,
    averageDaysToPay: tenths === undefined ? undefined : `${Math.floor(tenths / 10)}.${tenths % 10}`,
    expenseCount,
    expenses,
    expensesByKind,
  };
}
