import type { EventHandler } from './events.js';
import type { Destination, Message, MessageRef, PlatformKind } from './message.js';

/** At most `count` calls in any `perMs` window, per scope. */
export interface LimitRule {
  /** recipient: one channel or DM; workspace: one team or server; platform: everything. */
  readonly scope: 'recipient' | 'workspace' | 'platform';
  readonly count: number;
  readonly perMs: number;
}

/** How fast copro may send: a post to a channel, to a person or group DM, and an edit. */
export interface SendRate {
  readonly post: readonly LimitRule[];
  /** Posts to a DM; the same as `post` when absent. */
  readonly postDm?: readonly LimitRule[];
  readonly update: readonly LimitRule[];
}

/** What the core needs to know about a platform, so that it asks rather than knows each one. */
export interface PlatformLimits {
  /** Kept a little under the published figures; the outbox waits rather than be told to. */
  readonly sendRate: SendRate;
  /** The longest button label shown whole. Poll answers are buttons, so answers stay within it. */
  readonly buttonLabel: number;
}

/** The platform port. Adapters implement it; the core only ever talks to this. */
export interface ChatPlatform {
  readonly kind: PlatformKind;
  readonly limits: PlatformLimits;
  start(handle: EventHandler): Promise<void>;
  stop(): Promise<void>;
  post(to: Destination, message: Message): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  /**
   * Whether someone is in a channel now, asked when copro has not seen them join it: group
   * membership comes from the home channel, never from a click. Undefined when the platform
   * cannot tell.
   */
  isChannelMember?(workspaceId: string, channelId: string, userId: string): Promise<boolean | undefined>;
}

/**
 * A delivery failure the outbox can act on. Adapters translate their SDK's errors into this,
 * so the dispatcher knows whether to wait, retry or give up without knowing the platform.
 */
export class DeliveryError extends Error {
  constructor(
    readonly reason: 'rate_limited' | 'unavailable' | 'rejected',
    message: string,
    /** For rate_limited: how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
