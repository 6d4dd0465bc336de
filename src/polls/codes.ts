import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: ids are read aloud and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A short poll id such as "P7K2". */
export function pollCode(length = 3): string {
  let code = 'P';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function normaliseCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/^#/, '');
}
