import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ParsedUrlQuery, parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../src/logger.js';

/** Slack's rule: a request signed more than five minutes before or after now is refused. */
export const SIGNATURE_WINDOW_S = 5 * 60;
/** Slack's largest payloads (a full modal's state) are far below this. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface GuardOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  /** Handed only requests that passed the checks, with the body read once, here (receiver.ts). */
  readonly deliver: (body: SlackBody, req: IncomingMessage, res: ServerResponse) => void;
  readonly now?: () => number;
}

/**
 * Checks every POST before Bolt sees it: the signature and its timestamp (five minutes either
 * way, where Bolt only refuses old ones), the size, and that the body is an object Slack could
 * have sent (a body such as `null` gets a 400 and nothing else happens). The body is read and
 * parsed once, here, and handed on parsed: under a burst of clicks a second parse was a cost of
 * its own.
 */
export function guardSlackRequests(options: GuardOptions): RequestListener {
  const { signingSecret, logger, deliver } = options;
  const now = options.now ?? Date.now;

  return (req, res) => {
    readBody(req, BODY_LIMIT_BYTES).then(
      (raw) => {
        if (raw === 'too large') {
          logger.warn('refused a Slack request: the body is too large');
          return answer(res, 413);
        }
        const form = isForm(req) ? parseQuery(raw.toString('utf8')) : undefined;
        if (form?.ssl_check === '1') return answer(res, 200);
        if (!signedBySlack(req, raw, signingSecret, now())) {
          logger.warn('refused a Slack request: the signature or its timestamp is not valid');
          return answer(res, 401);
        }
        const body = bodyOf(form, raw);
        if (!body) {
          logger.warn(
            { contentType: req.headers['content-type'] },
            'refused a Slack request: not a Slack payload',
          );
          return answer(res, 400);
        }
        try {
          deliver(body, req, res);
        } catch (error) {
          logger.error({ err: error }, 'Slack request could not be handed on');
          answer(res, 500);
        }
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'could not read a Slack request');
        answer(res, 400);
      },
    );
  };
}

function signedBySlack(req: IncomingMessage, raw: Buffer, secret: string, nowMs: number): boolean {
  const timestamp = header(req, 'x-slack-request-timestamp');
  const signature = header(req, 'x-slack-signature');
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_S) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What Slack sends: a slash command's form fields, or the JSON of an interaction or an event. */
export type SlackBody = Record<string, unknown>;

/**
 * Slack sends an object: JSON (Events API) or form fields (`form`, parsed once for this and for
 * Slack's unsigned ssl_check), interactivity's `payload` holding JSON. Undefined for anything else.
 */
function bodyOf(form: ParsedUrlQuery | undefined, raw: Buffer): SlackBody | undefined {
  if (form) {
    const payload = form.payload;
    if (payload === undefined) return { ...form };
    return typeof payload === 'string' ? objectOrNothing(parseJson(payload)) : undefined;
  }
  return objectOrNothing(parseJson(raw.toString('utf8')));
}

function isForm(req: IncomingMessage): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function objectOrNothing(value: unknown): SlackBody | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SlackBody)
    : undefined;
}

/** A request header's (first) value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      // Keep reading (and dropping) so the answer reaches a client still sending.
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
