import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import { header, type SlackBody } from './http-guard.js';

/** Slack's wait for an acknowledgement; past it, an unanswered request is answered as Bolt's was. */
export const UNACKNOWLEDGED_AFTER_MS = 3_001;

/**
 * Bolt's receiver for HTTP mode, behind the guard (http-guard.ts), which has read, checked and
 * parsed the body. It does what Bolt's HTTPReceiver does after that, and no more: answers Slack's
 * URL check, turns the body into Bolt's event, and writes the acknowledgement as the response.
 * The server, its routes and /healthz belong to the adapter (index.ts).
 */
export function createGuardedReceiver(logger: Logger) {
  let handOn: ((event: ReceiverEvent) => Promise<void>) | undefined;

  function deliver(body: SlackBody, req: IncomingMessage, res: ServerResponse): void {
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    let acked = false;
    // A delivery left unacknowledged on purpose (an event that could not be kept, which Slack is
    // to send again) is told so at once, or after Slack's wait should the work hang: the request
    // is not held open.
    const unacknowledged = () => {
      if (acked || res.headersSent) return;
      logger.warn({ kind: body.type }, 'a Slack delivery was not acknowledged; Slack will send it again');
      res.writeHead(503);
      res.end();
    };
    const timer = setTimeout(unacknowledged, UNACKNOWLEDGED_AFTER_MS);
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) throw new Error('this Slack delivery was acknowledged already');
        acked = true;
        clearTimeout(timer);
        respond(res, response);
      },
      retryNum: retryNumOf(req),
      retryReason: header(req, 'x-slack-retry-reason'),
      customProperties: {},
    };
    const handing = handOn?.(event) ?? Promise.reject(new Error('the Slack receiver is not started'));
    handing.then(
      () => {
        clearTimeout(timer);
        unacknowledged();
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'a Slack delivery could not be handled');
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      },
    );
  }

  const receiver = {
    // The app given is the adapter's stand-in, whose processEvent is the intake (index.ts).
    init(app: App) {
      handOn = (event) => app.processEvent(event);
    },
    start: async () => undefined,
    stop: async () => undefined,
  } satisfies Receiver;

  return { receiver, deliver };
}

/** As Bolt answers an ack: empty, text, or JSON. */
function respond(res: ServerResponse, response: unknown): void {
  if (res.headersSent) return;
  if (!response) {
    res.writeHead(200);
    res.end();
  } else if (typeof response === 'string') {
    res.writeHead(200);
    res.end(response);
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response));
  }
}

function retryNumOf(req: IncomingMessage): number | undefined {
  const value = Number(header(req, 'x-slack-retry-num'));
  return Number.isInteger(value) ? value : undefined;
}
