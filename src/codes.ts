import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: ids are read aloud and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A short id people read aloud and type: `prefix`, then `length` random characters ("M7K2"). */
export function spokenCode(prefix: string, length: number): string {
  let code = prefix;
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * A code as it is stored, from what someone typed: any case, with or without a leading "#", and
 * without the full stop or comma that comes with it when copied from the end of copro's sentence
 * ("To cancel: /copro meeting cancel M7K2."). No code holds punctuation, so none is lost.
 */
export function normaliseCode(raw: string): string {
  return raw
    .trim()
    .toUpperCase()
    .replace(/^#/, '')
    .replace(/[.,;:!?]+$/, '');
}
