/**
 * An expected failure: the person gets `message` privately, in plain words, and nothing changed.
 * `code` identifies the failure for tests and logs without matching on wording.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short reference a person can quote to a coordinator, and we can find in the logs. */
export function errorRef(random: () => number = Math.random): string {
  let ref = '';
  for (let i = 0; i < 5; i++) ref += REF_ALPHABET[Math.floor(random() * REF_ALPHABET.length)];
  return ref;
}

export function unexpectedErrorText(ref: string): string {
  return `Something went wrong on our side (ref ${ref}). Nothing you did caused it. Please try again in a minute, or tell your coordinator the reference.`;
}

/** What people are told while the database does not answer. */
export const DATABASE_UNAVAILABLE_TEXT =
  "copro can't reach its database right now, please try again in a few minutes. Nothing you did caused it.";

/** What people are told when copro has kept what they did and will finish it once the database is back. */
export const DATABASE_KEEPING_TEXT =
  "copro can't reach its database right now. It has kept what you did and will finish it when the database is back. You don't need to do it again.";

/** The same, when the database answers but this work keeps failing in it (a table held locked). */
export const DATABASE_BUSY_KEEPING_TEXT =
  "copro's database is slow to answer right now. It has kept what you did and will finish it as soon as it can. You don't need to do it again.";

/** Failures that mean "the database is out of reach", not "this request was wrong". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57014', // query_canceled: the statement timeout ran out
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

export class DatabaseUnavailableError extends Error {
  constructor(message = 'the database did not answer in time') {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Whether an error (or one it wraps) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08'))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The longest error text kept in a row (an outbox message's or a job's last error). */
const STORED_ERROR_CHARS = 2_000;

/**
 * An error's text as a row can keep it. Postgres refuses a NUL character in text, and an answer
 * a platform garbled can hold one: refused, the row would not record the failure, and the work
 * would be tried again for ever. Long texts are cut: the log has the whole error.
 */
export function storableErrorText(text: string): string {
  return text.replaceAll('\u0000', '\\0').slice(0, STORED_ERROR_CHARS);
}
