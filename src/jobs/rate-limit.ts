import type { LimitRule, PlatformKind, SendRate } from '../chat/index.js';

/** A post to a channel, a post to a person or group DM, or an edit of a delivered message. */
export type LimitedCall = 'post' | 'postDm' | 'update';

/** No limits at all: for a local fake in benchmarks and tests of something else. */
export const unlimited: Readonly<Record<PlatformKind, SendRate>> = {
  slack: { post: [], update: [] },
  discord: { post: [], update: [] },
  console: { post: [], update: [] },
};

export interface LimitTarget {
  readonly platform: PlatformKind;
  readonly workspace: string;
  readonly recipient: string;
}

/**
 * In-process sliding-window limiter, to each platform's own SendRate (ChatPlatform.limits). A 429
 * still wins: its Retry-After blocks the recipient for as long as asked. Each replica keeps its own; the platform's 429 answers cover
 * what several replicas together might exceed. Time comes from the caller, so tests stay instant.
 */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  /** `rateOf` asks the platform each time, so platforms that start later are covered too. */
  constructor(private readonly rateOf: (platform: PlatformKind) => SendRate | undefined) {}

  /** Milliseconds to wait before this call may go; 0 means now. */
  waitMs(target: LimitTarget, op: LimitedCall, now: number): number {
    let wait = Math.max(0, (this.blockedUntil.get(blockKey(target)) ?? 0) - now);
    for (const rule of this.rules(target, op)) {
      const times = this.prune(keyFor(rule, target, op), rule.perMs, now);
      if (times.length >= rule.count)
        wait = Math.max(wait, times[times.length - rule.count]! + rule.perMs - now);
    }
    return wait;
  }

  /** Record that a call is being made now. */
  take(target: LimitTarget, op: LimitedCall, now: number): void {
    for (const rule of this.rules(target, op)) {
      const key = keyFor(rule, target, op);
      const times = this.prune(key, rule.perMs, now);
      times.push(now);
      this.recent.set(key, times);
    }
  }

  /** The platform said to wait (429): nothing more goes to this recipient until `until`. */
  block(target: LimitTarget, until: number): void {
    const key = blockKey(target);
    this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
  }

  private rules(target: LimitTarget, op: LimitedCall): readonly LimitRule[] {
    const rate = this.rateOf(target.platform);
    if (!rate) return [];
    return op === 'postDm' ? (rate.postDm ?? rate.post) : rate[op];
  }

  private prune(key: string, perMs: number, now: number): number[] {
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - perMs);
    this.recent.set(key, times);
    return times;
  }
}

function keyFor(rule: LimitRule, target: LimitTarget, op: string): string {
  switch (rule.scope) {
    case 'platform':
      return `${target.platform}:${op}`;
    case 'workspace':
      return `${target.platform}:${target.workspace}:${op}`;
    case 'recipient':
      return `${target.recipient}:${op}`;
  }
}

function blockKey(target: LimitTarget): string {
  return `blocked:${target.recipient}`;
}
