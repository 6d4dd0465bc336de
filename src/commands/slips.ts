/**
 * Slips people make typing a command on a phone or from copro's own answers, read as meant.
 */
import type { Token } from './tokens.js';
import type { CommandSpec } from './types.js';

/** Whether the first two words are hours and then minutes, written short: "1h 30m", "1.5h 10min". */
export function addsMinutes([hours = '', minutes = '']: readonly string[]): boolean {
  return /^\d+(\.\d+)?h$/i.test(hours) && /^\d+m(ins?)?$/i.test(minutes);
}

/**
 * Whether a number and the word after it are one length of time, typed apart: "--closes 3 days",
 * "--every 4 weeks", "--length 90 minutes". Taken apart, the unit would be an extra word.
 */
export function numberThenUnit(value: string, next: Token | undefined): next is Token {
  return (
    /^\d+(\.\d+)?$/.test(value) &&
    next !== undefined &&
    !next.quoted &&
    /^(min(ute)?s?|h(ou)?rs?|hours?|days?|weeks?|wks?|months?)$/i.test(next.value)
  );
}

/**
 * Phones and Macs turn "--" into a dash as people type. "—type meeting" is --type, when the
 * command has such an option; any other word starting with a dash is left as it was typed.
 */
export function asOption(spec: CommandSpec, token: Token): Token {
  if (token.quoted) return token;
  const dashes = /^[-—–]*[—–][-—–]*(?=\p{L})/u.exec(token.value)?.[0];
  if (!dashes) return token;
  const rest = token.value.slice(dashes.length);
  const name = (rest.split('=', 1)[0] ?? '').toLowerCase();
  return spec.options.some((o) => o.named && o.name === name) ? { ...token, value: `--${rest}` } : token;
}
