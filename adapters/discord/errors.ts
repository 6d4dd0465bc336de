import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../src/chat/index.js';

/**
 * Discord's failures, as the outbox understands them: wait (429, with Discord's retry time),
 * try again later (5xx, network, timeout) or give up (any other 4xx: the message or the target
 * is wrong, and sending it again will not help).
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) {
    const wait = Math.max(error.retryAfter, error.timeToReset, 0);
    return new DeliveryError(
      'rate_limited',
      `Discord asked us to slow down on ${error.route}`,
      Math.ceil(wait),
    );
  }
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) return new DeliveryError('rate_limited', 'Discord asked us to slow down', 1000);
    if (error.status >= 500) return new DeliveryError('unavailable', `Discord failed (${error.status})`);
    const code = error.code ? `, code ${error.code}` : '';
    return new DeliveryError(
      'rejected',
      `Discord refused the request (${error.status}${code}): ${error.message}`,
    );
  }
  if (error instanceof HTTPError) {
    return new DeliveryError(
      error.status >= 500 ? 'unavailable' : 'rejected',
      `Discord answered ${error.status}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError('unavailable', `Could not reach Discord: ${message}`);
}

/** Runs a REST call, turning any failure into a DeliveryError. */
export async function delivering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDeliveryError(error);
  }
}
