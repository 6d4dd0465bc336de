import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: ids are read aloud and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A short meeting id such as "M7K2". */
export function meetingCode(length = 3): string {
  let code = 'M';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function normaliseCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/^#/, '');
}

/** Whether a value could be a meeting code at all, before the database is asked. */
export const looksLikeCode = (code: string): boolean => /^M[A-Z0-9]{3,8}$/.test(code);
