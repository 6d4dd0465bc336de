/**
 * A storm of 429s, as Slack or Discord answer when an app posts faster than they allow: for a while every
 * call to a method is refused with Retry-After, and each refusal tells the caller how long to
 * leave that channel alone. A call that comes back sooner is refused again and counted as early:
 * an app that respects Retry-After never makes one.
 */
export interface Storm {
  /** Every call to `method` is refused for `forMs` from now, each with Retry-After `retryAfter` s. */
  start(method: string, options: { forMs: number; retryAfter: number }): void;
  /** The Retry-After to answer with, if this call is refused; undefined lets it through. */
  refuse(method: string, body: Record<string, unknown>): { retryAfter: number; early: boolean } | undefined;
  /** Calls that came before the Retry-After they had been given ran out. */
  readonly early: readonly EarlyCall[];
}

export interface EarlyCall {
  readonly method: string;
  readonly channel: string;
  /** How many milliseconds too soon. */
  readonly soonerByMs: number;
}

export function createStorm(): Storm {
  const storms = new Map<string, { until: number; retryAfter: number }>();
  const notBefore = new Map<string, number>();
  const early: EarlyCall[] = [];
  return {
    early,
    start(method, { forMs, retryAfter }) {
      storms.set(method, { until: Date.now() + forMs, retryAfter });
    },
    refuse(method, body) {
      const storm = storms.get(method);
      if (!storm) return undefined;
      const now = Date.now();
      const channel = String(body.channel ?? body.channel_id ?? '');
      const key = `${method} ${channel}`;
      const allowedFrom = notBefore.get(key) ?? 0;
      const tooSoon = now < allowedFrom;
      if (tooSoon) early.push({ method, channel, soonerByMs: allowedFrom - now });
      if (!tooSoon && now >= storm.until) return undefined;
      notBefore.set(key, now + storm.retryAfter * 1000);
      return { retryAfter: storm.retryAfter, early: tooSoon };
    },
  };
}
