/**
 * Money as integer minor units (pence) with a currency. Nothing here multiplies or divides a
 * fraction: amounts are read from their digits, shares are worked out in whole numbers
 * (BigInt), so a total is always the exact sum of what was recorded.
 */

export const DEFAULT_CURRENCY = 'GBP';

const SYMBOLS: Readonly<Record<string, string>> = { '£': 'GBP', '€': 'EUR', $: 'USD' };
const SHOWN: Readonly<Record<string, string>> = { GBP: '£', EUR: '€', USD: '$' };

/** The most an amount may be (in the currency's main unit): no claim or rate is bigger. */
export const MAX_MAJOR = 100_000;

/** Digits after the point for a currency: 2 for pounds, 0 for yen. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** ISO 4217 codes, as the runtime's ICU data knows them (any three letters would format). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const knownCurrency = (code: string): boolean => CURRENCIES.has(code);

export type AmountReading =
  | { readonly ok: true; readonly minor: number; readonly currency: string }
  | { readonly ok: false; readonly problem: string };

const AMOUNT = /^([£€$])?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/;

/** "£12.50", "12.5", "12", "EUR 12", "12 eur" → minor units and currency. Never a float. */
export function parseAmount(raw: string, fallbackCurrency = DEFAULT_CURRENCY): AmountReading {
  let text = raw.trim();
  let currency: string | undefined;
  const code = /^([A-Za-z]{3})\s*([^A-Za-z].*)$|^(.*[^A-Za-z])\s*([A-Za-z]{3})$/.exec(text);
  if (code) {
    currency = (code[1] ?? code[4] ?? '').toUpperCase();
    text = (code[2] ?? code[3] ?? '').trim();
    if (!knownCurrency(currency))
      return { ok: false, problem: `"${currency}" is not a currency copro knows.` };
  }
  const m = AMOUNT.exec(text);
  const example = 'Write it like £12.50, 12.50 or 12.';
  if (!m?.[2]) return { ok: false, problem: `That is not an amount of money. ${example}` };
  const bySymbol = m[1] ? SYMBOLS[m[1]] : undefined;
  if (bySymbol && currency && bySymbol !== currency)
    return { ok: false, problem: `That amount names two currencies. ${example}` };
  currency = currency ?? bySymbol ?? fallbackCurrency;
  const digits = minorDigits(currency);
  const whole = m[2].replace(/,/g, '');
  const fraction = m[3] ?? '';
  if (fraction.length > digits)
    return {
      ok: false,
      problem:
        digits === 0
          ? `${currency} has no smaller units: please give a whole number.`
          : `Please give at most ${digits} digits after the point, like 12.50.`,
    };
  if (whole.length > String(MAX_MAJOR).length || Number(whole) > MAX_MAJOR)
    return {
      ok: false,
      problem: `That is more than copro takes (${formatMoney(MAX_MAJOR * 10 ** digits, currency)}).`,
    };
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  return { ok: true, minor, currency };
}

/** 1250, "GBP" → "£12.50"; 1234567 → "£12,345.67". */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const plain = plainAmount(Math.abs(minor), currency);
  const [whole = '0', fraction] = plain.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  const symbol = SHOWN[currency];
  return symbol ? `${sign}${symbol}${body}` : `${sign}${currency} ${body}`;
}

/** 1250, "GBP" → "12.50": for spreadsheets, with no symbol and no thousands separator. */
export function plainAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * What time is worth: minutes × hourly rate × share%, rounded to the nearest minor unit
 * (halves up), in whole-number arithmetic.
 */
export function payFor(minutes: number, perHourMinor: number, percent = 100): number {
  const scaled = BigInt(minutes) * BigInt(perHourMinor) * BigInt(percent);
  return Number((scaled + 3000n) / 6000n);
}

/** Sums by currency: {"GBP": 4200}. */
export function totalsByCurrency(
  items: readonly { readonly amountMinor: number; readonly currency: string }[],
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { amountMinor, currency } of items)
    totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  return totals;
}

/** "£42.00" or "£42.00 and €10.00"; "nothing" for no money at all. */
export function formatTotals(totals: ReadonlyMap<string, number>): string {
  const parts = [...totals].filter(([, minor]) => minor !== 0).map(([c, minor]) => formatMoney(minor, c));
  if (parts.length === 0) return formatMoney(0, DEFAULT_CURRENCY);
  return parts.join(' and ');
}
