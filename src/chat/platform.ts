import type { EventHandler } from './events.js';
import type { Destination, Message, MessageRef, PlatformKind } from './message.js';

/** The platform port. Adapters implement it; the core only ever talks to this. */
export interface ChatPlatform {
  readonly kind: PlatformKind;
  start(handle: EventHandler): Promise<void>;
  stop(): Promise<void>;
  post(to: Destination, message: Message): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
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
