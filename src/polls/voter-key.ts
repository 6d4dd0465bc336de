import { createHmac } from 'node:crypto';
import { UserError } from '../errors.js';

/**
 * Who a vote belongs to. Ordinary polls name the member; anonymous ones store a keyed hash of
 * (poll, member) instead, which lets a person change their own vote and vote only once, while
 * nobody reading the database can tell whose vote it is: the key lives outside it (see
 * src/voter-secret.ts). The poll id is in the hash so the same person's votes cannot be linked
 * across polls.
 */
export function voterKey(poll: { id: number; anonymous: boolean }, memberId: number, secret: Buffer): string {
  if (!poll.anonymous) return `m:${memberId}`;
  return `a:${createHmac('sha256', secret).update(`${poll.id}:${memberId}`).digest('base64url')}`;
}

export const NO_SECRET_TEXT =
  'Anonymous polls need a secret key that copro keeps apart from its other data, and this copro has none. ' +
  'Whoever runs copro can set COPRO_ENCRYPTION_KEY (see "Environment" in the README).';

/** Who a vote belongs to, for any member, on one poll. Refuses an anonymous poll without the secret. */
export function voterKeys(
  poll: { id: number; anonymous: boolean },
  secret: Buffer | undefined,
): (memberId: number) => string {
  if (poll.anonymous && !secret)
    throw new UserError('no_voter_secret', `${NO_SECRET_TEXT} Nothing was recorded.`);
  const key = secret ?? Buffer.alloc(0);
  return (memberId) => voterKey(poll, memberId, key);
}
