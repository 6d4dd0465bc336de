import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DeliveryError } from '../../src/chat/index.js';
import { slackHttpFailure, slackRefusal } from './errors.js';
import { withSlash } from './outbound.js';

/** What copro reads of users.info's answer. */
export interface SlackUserInfo {
  readonly id?: string;
  readonly name?: string;
  readonly real_name?: string;
  readonly tz?: string;
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
  readonly is_bot?: boolean;
  readonly profile?: { readonly display_name?: string; readonly real_name?: string };
}

export type UsersInfo = (userId: string) => Promise<SlackUserInfo>;

// What Slack says of a person is taken field by field: one of the wrong kind (a name that is not
// text, a timezone no clock knows) is left out, as if Slack had not said it, not stored.
const text = z.string().max(500).optional().catch(undefined);
const flag = z.boolean().optional().catch(undefined);
const userInfo = z
  .object({
    id: text,
    name: text,
    real_name: text,
    tz: z
      .string()
      // isValidZone builds a date formatter on every call, a fifth of a millisecond: in a burst of
      // first clicks that was a tenth of the thread. create() keeps each zone, and its answer.
      .refine((tz) => IANAZone.create(tz).isValid)
      .optional()
      .catch(undefined),
    is_admin: flag,
    is_owner: flag,
    is_bot: flag,
    profile: z.object({ display_name: text, real_name: text }).optional().catch(undefined),
  })
  .catch({});

const SLACK_API = 'https://slack.com/api/';

/**
 * users.info, asked without the WebClient. Every first click from a person asks it, so a burst
 * of new voters makes it copro's commonest call, and the WebClient's own work on each call (a
 * debug line of the request and of the answer, serialised and redacted before the logger drops
 * it, a retry wrapper, a queue) cost more of the thread than the request itself. Failures are
 * DeliveryErrors, as toDeliveryError makes them from the WebClient's: a 429 with Slack's
 * Retry-After, Slack's own error codes, a network failure. The fetch given bounds the wait
 * (lean-fetch.ts).
 */
export function createUsersInfo(fetch: typeof globalThis.fetch, token: string, apiUrl?: string): UsersInfo {
  const url = `${withSlash(apiUrl ?? SLACK_API)}users.info`;
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  return async (userId) => {
    let answer: Response;
    try {
      answer = await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ user: userId }).toString(),
        redirect: 'error',
      });
    } catch {
      throw new DeliveryError('unavailable', 'could not reach Slack for users.info');
    }
    if (!answer.ok) {
      const seconds = Number(answer.headers.get('retry-after'));
      throw slackHttpFailure(answer.status, 'users.info', seconds > 0 ? seconds * 1000 : undefined);
    }
    let body: { ok?: unknown; error?: unknown; user?: SlackUserInfo };
    try {
      body = (await answer.json()) as typeof body;
    } catch {
      throw new DeliveryError('unavailable', 'Slack answered users.info with something other than JSON');
    }
    if (body?.ok !== true)
      throw slackRefusal(typeof body?.error === 'string' ? body.error : '', 'users.info');
    return userInfo.parse(body.user ?? {});
  };
}
