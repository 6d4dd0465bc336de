import { DeliveryError } from '../../src/chat/index.js';

/** Slack error codes that mean "Slack is having trouble", worth trying again later. */
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

interface SlackSdkError {
  readonly code?: string;
  readonly retryAfter?: number;
  readonly statusCode?: number;
  readonly data?: { readonly error?: string };
  readonly message?: string;
}

/**
 * Translate a WebClient failure into the outbox's terms. The client is built with no retries and
 * with rate-limited calls rejected, so the outbox alone decides when to try again.
 */
export function toDeliveryError(error: unknown, method: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as SlackSdkError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('rate_limited', `Slack rate-limited ${method}`, (e.retryAfter ?? 1) * 1000);
    case 'slack_webapi_http_error':
      return slackHttpFailure(e.statusCode, method);
    case 'slack_webapi_request_error':
      return new DeliveryError('unavailable', `could not reach Slack for ${method}`);
    case 'slack_webapi_platform_error':
      return slackRefusal(e.data?.error ?? '', method);
    default:
      return new DeliveryError('unavailable', `${method} failed: ${e.message ?? String(error)}`);
  }
}

/** An HTTP status other than 2xx, in the outbox's terms (a 429 waits Retry-After, else a second). */
export function slackHttpFailure(
  status: number | undefined,
  method: string,
  retryAfterMs = 1000,
): DeliveryError {
  if (status === 429) return new DeliveryError('rate_limited', `Slack rate-limited ${method}`, retryAfterMs);
  return new DeliveryError(
    status !== undefined && status >= 500 ? 'unavailable' : 'rejected',
    `Slack answered ${method} with HTTP ${status}`,
  );
}

/** An answer of `ok: false` with Slack's error code, in the outbox's terms. */
export function slackRefusal(code: string, method: string): DeliveryError {
  const named = code || 'unknown_error';
  if (named === 'ratelimited') return new DeliveryError('rate_limited', `Slack rate-limited ${method}`, 1000);
  return new DeliveryError(
    TRANSIENT.has(named) ? 'unavailable' : 'rejected',
    `Slack refused ${method}: ${named}`,
  );
}

/** The Slack error code of a failed call ("channel_not_found"), if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as SlackSdkError | undefined)?.data?.error;
}
