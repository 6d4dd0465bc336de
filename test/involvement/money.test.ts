import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  parseAmount,
  payFor,
  plainAmount,
  totalsByCurrency,
} from '../../src/involvement/money.js';

describe('amounts people type', () => {
  it.each([
    ['£12.50', 1250, 'GBP'],
    ['12.5', 1250, 'GBP'],
    ['12', 1200, 'GBP'],
    ['£0.07', 7, 'GBP'],
    ['£1,250.00', 125000, 'GBP'],
    ['€8', 800, 'EUR'],
    ['EUR 8.10', 810, 'EUR'],
    ['8.10 usd', 810, 'USD'],
    ['JPY 500', 500, 'JPY'],
    [' 0.1 ', 10, 'GBP'],
  ])('reads %s as %i minor units of %s', (typed, minor, currency) => {
    expect(parseAmount(typed)).toEqual({ ok: true, minor, currency });
  });

  it.each([
    ['12.505', 'at most 2 digits'],
    ['-5', 'not an amount'],
    ['1e3', 'not an amount'],
    ['0x10', 'not an amount'],
    ['£', 'not an amount'],
    ['twelve', 'not an amount'],
    ['£12 EUR', 'two currencies'],
    ['XYZ 12', 'not a currency'],
    ['100001', 'more than copro takes'],
    ['JPY 5.5', 'no smaller units'],
  ])('refuses %s plainly', (typed, words) => {
    const read = parseAmount(typed);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toContain(words);
  });

  it('reads any pounds-and-pence amount to the exact penny, with no rounding from floating point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 99 }), (pounds, pence) => {
        const typed = `£${pounds}.${String(pence).padStart(2, '0')}`;
        expect(parseAmount(typed)).toEqual({ ok: true, minor: pounds * 100 + pence, currency: 'GBP' });
        expect(plainAmount(pounds * 100 + pence, 'GBP')).toBe(`${pounds}.${String(pence).padStart(2, '0')}`);
      }),
    );
  });

  it('shows what it read back the same way it can read it again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (minor) => {
        const shown = formatMoney(minor, 'GBP');
        expect(parseAmount(shown)).toEqual({ ok: true, minor, currency: 'GBP' });
      }),
    );
  });
});

describe('what time is worth', () => {
  it('is minutes times the hourly rate, to the nearest penny, in whole numbers', () => {
    expect(payFor(120, 2500)).toBe(5000);
    expect(payFor(90, 2500)).toBe(3750);
    expect(payFor(1, 2500)).toBe(42); // 41.67p
    expect(payFor(20, 1000)).toBe(333); // 333.33p
    expect(payFor(120, 2500, 50)).toBe(2500);
  });

  it('never exceeds the full amount when a member takes a share, and a share of 100% is the full amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 100 }),
        (minutes, rate, percent) => {
          const share = payFor(minutes, rate, percent);
          expect(Number.isSafeInteger(share)).toBe(true);
          expect(share).toBeLessThanOrEqual(payFor(minutes, rate));
          expect(payFor(minutes, rate, 100)).toBe(payFor(minutes, rate));
        },
      ),
    );
  });

  it('adds amounts of each currency apart, exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amountMinor: fc.integer({ min: 0, max: 1e9 }),
            currency: fc.constantFrom('GBP', 'EUR'),
          }),
        ),
        (items) => {
          const totals = totalsByCurrency(items);
          for (const currency of ['GBP', 'EUR']) {
            const recount = items
              .filter((i) => i.currency === currency)
              .reduce((sum, i) => sum + BigInt(i.amountMinor), 0n);
            expect(BigInt(totals.get(currency) ?? 0)).toBe(recount);
          }
        },
      ),
    );
  });
});
