import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_ROLE, type SummaryRecord, summarise } from '../../src/involvement/summary.js';

const TYPES = ['meeting', 'preparation', 'review', 'training'];
const ROLES = ['member', 'carer', 'researcher', 'expert-by-experience'];
const START = Date.parse('2026-04-01T09:00:00Z');
const DAY = 86_400_000;

const aRecord: fc.Arbitrary<SummaryRecord> = fc
  .record({
    kind: fc.constantFrom('time' as const, 'expense' as const),
    typeKey: fc.constantFrom(...TYPES),
    minutes: fc.integer({ min: 1, max: 1440 }),
    memberId: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
    roles: fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: 3 }),
    amountMinor: fc.integer({ min: 0, max: 500_000 }),
    currency: fc.constantFrom('GBP', 'EUR'),
    status: fc.constantFrom(
      'owed' as const,
      'approved' as const,
      'paid' as const,
      'declined' as const,
      'none' as const,
    ),
    createdDay: fc.integer({ min: 0, max: 300 }),
    waited: fc.integer({ min: 0, max: 90 }),
  })
  .map((r) => ({
    kind: r.kind,
    typeKey: r.typeKey,
    minutes: r.kind === 'time' ? r.minutes : null,
    memberId: r.memberId,
    roles: r.roles,
    amountMinor: r.status === 'declined' || r.status === 'none' ? 0 : r.amountMinor,
    currency: r.currency,
    status: r.status,
    createdAt: new Date(START + r.createdDay * DAY),
    paidAt: r.status === 'paid' ? new Date(START + (r.createdDay + r.waited) * DAY) : null,
  }));

const minutesOf = (rs: readonly SummaryRecord[]) => rs.reduce((sum, r) => sum + (r.minutes ?? 0), 0);
const money = (rs: readonly SummaryRecord[], currency: string) =>
  rs.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.amountMinor, 0);

describe('the numbers in a report, against a plain recount of random records', () => {
  it('total hours, and hours by type, add up to the time recorded', () => {
    fc.assert(
      fc.property(fc.array(aRecord, { maxLength: 60 }), (records) => {
        const s = summarise(records);
        const time = records.filter((r) => r.kind === 'time');
        expect(s.minutes).toBe(minutesOf(time));
        for (const type of TYPES)
          expect(s.byType.get(type) ?? 0).toBe(minutesOf(time.filter((r) => r.typeKey === type)));
        expect([...s.byType.values()].reduce((a, b) => a + b, 0)).toBe(s.minutes);
      }),
    );
  });

  it('hours by role count each record once for every role its member held, and once as "no role" for none', () => {
    fc.assert(
      fc.property(fc.array(aRecord, { maxLength: 60 }), (records) => {
        const s = summarise(records);
        const time = records.filter((r) => r.kind === 'time');
        for (const role of ROLES)
          expect(s.byRole.get(role) ?? 0).toBe(minutesOf(time.filter((r) => r.roles.includes(role))));
        expect(s.byRole.get(NO_ROLE) ?? 0).toBe(minutesOf(time.filter((r) => r.roles.length === 0)));
      }),
    );
  });

  it('owed, paid and declined are counted apart, a declined payment never shows as owed, and people are counted once', () => {
    fc.assert(
      fc.property(fc.array(aRecord, { maxLength: 60 }), (records) => {
        const s = summarise(records);
        const owed = records.filter((r) => r.status === 'owed' || r.status === 'approved');
        const paid = records.filter((r) => r.status === 'paid');
        for (const c of ['GBP', 'EUR']) {
          expect(s.owed.get(c) ?? 0).toBe(money(owed, c));
          expect(s.paid.get(c) ?? 0).toBe(money(paid, c));
          expect(s.expenses.get(c) ?? 0).toBe(
            money(
              records.filter((r) => r.kind === 'expense'),
              c,
            ),
          );
        }
        expect(s.owedCount).toBe(owed.length);
        expect(s.approvedCount).toBe(records.filter((r) => r.status === 'approved').length);
        expect(s.declinedCount).toBe(records.filter((r) => r.status === 'declined').length);
        expect(s.people).toBe(new Set(records.map((r) => r.memberId).filter((m) => m !== null)).size);
      }),
    );
  });

  it('the average wait for payment is the mean of whole days waited, to one decimal place', () => {
    fc.assert(
      fc.property(fc.array(aRecord, { maxLength: 60 }), (records) => {
        const paid = records.filter((r) => r.status === 'paid');
        const s = summarise(records);
        if (paid.length === 0) {
          expect(s.averageDaysToPay).toBeUndefined();
          return;
        }
        const totalDays = paid.reduce(
          (sum, r) => sum + ((r.paidAt as Date).getTime() - r.createdAt.getTime()) / DAY,
          0,
        );
        const tenths = Math.round((totalDays * 10) / paid.length);
        expect(s.averageDaysToPay).toBe(`${Math.floor(tenths / 10)}.${tenths % 10}`);
      }),
    );
  });
});
