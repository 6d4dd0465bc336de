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
