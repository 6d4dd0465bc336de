import type { PlatformKind } from '../chat/index.js';

/** At most `count` calls in any `perMs` window, per scope. */
export interface LimitRule {
  /** recipient: one channel or DM; workspace: one Slack team / Discord guild; platform: everything. */
  readonly scope: 'recipient' | 'workspace' | 'platform';
  readonly count: number;
  readonly perMs: number;
}

/** A post to a channel, a post to a person or group DM, or an edit of a delivered message. */
export type LimitedCall = 'post' | 'postDm' | 'update';

export interface PlatformLimits {
  readonly post: readonly LimitRule[];
  /** Posts to a DM; the same as `post` when absent. */
  readonly postDm?: readonly LimitRule[];
  readonly update: readonly LimitRule[];
}

/**
 * What each platform allows, kept a little under the published figures so copro is not the one
 * who finds the edge. A 429 still wins: its Retry-After blocks the recipient for as long as asked.
 */
export const platformLimits: Readonly<Record<PlatformKind, PlatformLimits>> = {
  slack: {
    // chat.postMessage: about one message per second per channel.
    post: [{ scope: 'recipient', count: 1, perMs: 1_000 }],
    // A DM first needs conversations.open (Tier 3: about 50 a minute per workspace). Reminders to
    // everyone who has not voted are DMs, so they are spread out rather than refused.
    postDm: [
      { scope: 'recipient', count: 1, perMs: 1_000 },
      { scope: 'workspace', count: 50, perMs: 60_000 },
    ],
    // chat.update is Tier 3: about 50 a minute per workspace.
    update: [{ scope: 'workspace', count: 50, perMs: 60_000 }],
  },
  discord: {
    // 50 requests a second for the whole bot, and a per-channel route bucket (5 per 5 s).
    post: [
      { scope: 'platform', count: 50, perMs: 1_000 },
      { scope: 'recipient', count: 5, perMs: 5_000 },
    ],
    update: [
      { scope: 'platform', count: 50, perMs: 1_000 },
      { scope: 'recipient', count: 5, perMs: 5_000 },
    ],
  },
  console: { post: [], update: [] },
};

/** No limits at all: for a local fake in benchmarks. */
export const unlimited: Readonly<Record<PlatformKind, PlatformLimits>> = {
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
 * In-process sliding-window limiter. Each replica keeps its own; the platform's 429 answers cover
 * what several replicas together might exceed. Time comes from the caller, so tests stay instant.
 */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly limits: Readonly<Record<PlatformKind, PlatformLimits>>) {}

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
    const limits = this.limits[target.platform];
    return op === 'postDm' ? (limits.postDm ?? limits.post) : limits[op];
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
