import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SLACK_APP_SCOPE, SLACK_BOT_SCOPES } from '../../adapters/slack/credentials.js';
import { decodedOrAsSent } from './decoded.js';
import { type FakeSlackUpload, methodAnswers } from './fake-slack-methods.js';
import { createStorm, type EarlyCall } from './fake-slack-storm.js';

/**
 * A fake Slack Web API on 127.0.0.1 that records every call and answers the way Slack does:
 * HTTP 200 with `{ ok: true, ... }` or `{ ok: false, error }`, 429 with `Retry-After`, and 5xx
 * when a test asks for it. It also serves `response_url` posts and, for Socket Mode, the
 * WebSocket that `apps.connections.open` points at. Each token has scopes, as an installed app
 * does: by default the ones copro asks for; a call that needs another gets `missing_scope`, and
 * every answer to a token carries the granted scopes in `x-oauth-scopes`, as Slack's do.
 *
 * Usage:
 *   const slack = await startFakeSlack();
 *   new WebClient(token, { slackApiUrl: slack.apiUrl });
 *   slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
 *   await slack.waitFor('chat.postMessage');
 *   slack.callsTo('chat.postMessage')[0].body.channel;
 *   await slack.close();
 */

export interface FakeSlackCall {
  /** Web API method ("chat.postMessage"), or "response_url" for a post to a response URL. */
  readonly method: string;
  /** Form fields or JSON body; `blocks`, `view` and other JSON-valued fields arrive parsed. */
  readonly body: Record<string, unknown>;
  /** The bearer token the caller sent, if any (never printed by the fake). */
  readonly token?: string;
  /** For response_url posts: the id in the URL (see `responseUrl`). */
  readonly responseUrlId?: string;
  /** Which caller, when it used an address from `apiUrlFor` (one per copro process, say). */
  readonly via?: string;
  /** What the fake answered. */
  readonly status: number;
  readonly answer: unknown;
}

/** A canned failure for the next call to a method. */
export interface CannedFailure {
  /** HTTP status: 429 (rate limited, with Retry-After), 500, 503... Default 200 with `error`. */
  readonly status?: number;
  /** Seconds, sent as Retry-After with a 429. Default 1. */
  readonly retryAfter?: number;
  /** Slack error code for an `ok: false` answer, e.g. "channel_not_found". */
  readonly error?: string;
  /** Answer as usual, but only after this many milliseconds (a slow Slack). */
  readonly delayMs?: number;
}

export interface FakeSlackUser {
  readonly id: string;
  readonly name?: string;
  readonly realName?: string;
  readonly displayName?: string;
  readonly tz?: string;
  readonly isAdmin?: boolean;
  readonly isOwner?: boolean;
  readonly isBot?: boolean;
  readonly teamId?: string;
  /** Channels conversations.members lists them in; every channel when absent. */
  readonly channels?: readonly string[];
}

export interface SocketEnvelope {
  readonly type: 'slash_commands' | 'interactive' | 'events_api';
  readonly payload: Record<string, unknown>;
  readonly retryAttempt?: number;
}

export interface FakeSlack {
  /** Web API base URL, with the trailing slash the WebClient expects. */
  readonly apiUrl: string;
  /** The same API at an address of its own, so each call made through it is recorded `via` the name. */
  apiUrlFor(via: string): string;
  readonly origin: string;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  /** Every call so far, in order. */
  readonly calls: readonly FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Resolves once `count` calls to `method` have been recorded (default 1), or rejects after `timeoutMs`. */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<FakeSlackCall[]>;
  /** Queue a failure for the next call to `method`; queued failures are used in order. */
  failNext(method: string, failure: CannedFailure): void;
  /**
   * A 429 storm: every call to `method` is refused for `forMs`, with Retry-After `retryAfter`
   * seconds, per channel; a call to a channel before its Retry-After ran out is refused too.
   */
  storm(method: string, options: { forMs: number; retryAfter: number }): void;
  /** Calls made before the Retry-After they were given ran out (see storm). */
  earlyCalls(): readonly EarlyCall[];
  /** Add or replace a user that users.info knows. Unknown users get `user_not_found`. */
  addUser(user: FakeSlackUser): void;
  /** A response_url that records posts under `id` (method "response_url"). */
  responseUrl(id?: string): string;
  /** Change the scopes the bot token (or, with `'app'`, the app token) was granted. */
  grantScopes(scopes: readonly string[], token?: 'bot' | 'app'): void;
  /** Files copro uploaded and shared, in order: where, under what name, and what they hold. */
  sharedFiles(): SharedFile[];
  /** Forget recorded calls and queued failures (users stay). */
  clear(): void;
  /** Socket Mode: deliver an envelope over the open WebSocket and resolve with the app's ack payload. */
  sendEnvelope(envelope: SocketEnvelope, timeoutMs?: number): Promise<Record<string, unknown> | undefined>;
  /** Resolves when a Socket Mode client has connected and been greeted. */
  socketConnected(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SharedFile {
  readonly channelId: string;
  readonly threadTs?: string;
  readonly filename: string;
  readonly title?: string;
  readonly content: string;
}

export interface FakeSlackOptions {
  readonly botToken?: string;
  readonly appToken?: string;
  readonly teamId?: string;
  readonly users?: readonly FakeSlackUser[];
  /** Scopes of the bot token; default: the ones copro's manifests ask for. */
  readonly botScopes?: readonly string[];
  /** Scopes of the app-level token; default: connections:write. */
  readonly appScopes?: readonly string[];
  /** Who created each channel (conversations.info `creator`); other channels were made by UFOUNDER. */
  readonly channelCreators?: Readonly<Record<string, string>>;
}

/** How long a test waits for something to happen: generous, since a wait that succeeds returns at once. */
const PATIENCE_MS = 15_000;

/** Methods whose named fields Slack takes as JSON strings in a form-encoded body. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata', 'files'];

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? 'xoxb-fake-token';
  const appToken = options.appToken ?? 'xapp-fake-token';
  const teamId = options.teamId ?? 'T0FAKE';
  const botUserId = 'UBOT';
  const botId = 'BBOT';
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, CannedFailure[]>();
  const users = new Map<string, FakeSlackUser>();
  for (const u of options.users ?? []) users.set(u.id, u);
  const waiters = new Set<() => void>();
  let botScopes = options.botScopes ?? SLACK_BOT_SCOPES;
  let appScopes = options.appScopes ?? [SLACK_APP_SCOPE];
  const scopesOf = (token: string | undefined) =>
    token === botToken ? botScopes : token === appToken ? appScopes : [];

  const record = (call: FakeSlackCall) => {
    calls.push(call);
    for (const w of [...waiters]) w();
  };

  const uploads = new Map<string, FakeSlackUpload>();
  const storm = createStorm();
  const answerMethod = methodAnswers({
    uploads,
    uploadUrl: (fileId) => `${origin}/upload/${fileId}`,
    botToken,
    appToken,
    scopesOf,
    teamId,
    botUserId,
    botId,
    users,
    channelCreators: options.channelCreators ?? {},
    socketUrl: () => `${origin.replace('http', 'ws')}/socket`,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const routed = /^\/via\/([^/]+)(\/.*)$/.exec(url.pathname);
    const via = routed ? decodedOrAsSent(routed[1] as string) : undefined;
    if (routed) url.pathname = routed[2] as string;
    const tagged = via ? { via } : {};
    if (url.pathname.startsWith('/upload/'))
      return receiveUpload(req, res, uploads.get(url.pathname.slice(8)));
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : (body.token as string | undefined);

    if (url.pathname.startsWith('/respond/')) {
      const responseUrlId = decodedOrAsSent(url.pathname.slice('/respond/'.length));
      const failure = failures.get('response_url')?.shift();
      const status = failure?.status ?? 200;
      const answer = status === 200 ? { ok: true } : { ok: false, error: 'failed' };
      record({ method: 'response_url', body, responseUrlId, status, answer });
      return send(res, status, answer);
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, { ok: false, error: 'not_found' });

    const method = url.pathname.slice('/api/'.length);
    const refused = storm.refuse(method, body);
    if (refused) {
      const answer = { ok: false, error: 'ratelimited' };
      record({ method, body, token, ...tagged, status: 429, answer });
      return send(res, 429, answer, { 'Retry-After': String(refused.retryAfter) });
    }
    const failure = failures.get(method)?.shift();
    if (failure?.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    if (failure?.status === 429) {
      const retryAfter = failure.retryAfter ?? 1;
      const answer = { ok: false, error: 'ratelimited' };
      record({ method, body, token, ...tagged, status: 429, answer });
      return send(res, 429, answer, { 'Retry-After': String(retryAfter) });
    }
    if (failure?.status && failure.status !== 200) {
      const answer = { ok: false, error: 'internal_error' };
      record({ method, body, token, ...tagged, status: failure.status, answer });
      return send(res, failure.status, answer);
    }
    const answer = failure?.error ? { ok: false, error: failure.error } : answerMethod(method, body, token);
    record({ method, body, token, ...tagged, status: 200, answer });
    const granted = scopesOf(token);
    return send(res, 200, answer, granted.length > 0 ? { 'x-oauth-scopes': granted.join(',') } : {});
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { ok: false, error: String(error) }));
  });
  // Clients keep a connection for the next call. On a busy machine one can sit idle past Node's
  // 5 s default, and the server closing it just as a client reuses it reads as "connection reset".
  server.keepAliveTimeout = 10 * 60_000;
  const wss = new WebSocketServer({ noServer: true });
  let socket: WebSocket | undefined;
  const socketWaiters = new Set<() => void>();
  const pendingAcks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();

  server.on('upgrade', (req, sock, head) => {
    if (!req.url?.startsWith('/socket')) return sock.destroy();
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (frame.envelope_id) pendingAcks.get(frame.envelope_id)?.(frame.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
      for (const w of [...socketWaiters]) w();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${origin}/api/`,
    apiUrlFor: (name) => `${origin}/via/${encodeURIComponent(name)}/api/`,
    origin,
    botToken,
    botUserId,
    botId,
    teamId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor: (method, count = 1, timeoutMs = PATIENCE_MS) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.filter((c) => c.method === method);
          if (found.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          reject(
            new Error(
              `fake Slack: expected ${count} call(s) to ${method} within ${timeoutMs} ms; calls: ${seen}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    failNext: (method, failure) => {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    storm: (method, options) => storm.start(method, options),
    earlyCalls: () => storm.early,
    addUser: (user) => {
      users.set(user.id, user);
    },
    responseUrl: (id = randomUUID()) => `${origin}/respond/${encodeURIComponent(id)}`,
    grantScopes: (scopes, token = 'bot') => {
      if (token === 'bot') botScopes = scopes;
      else appScopes = scopes;
    },
    sharedFiles: () =>
      [...uploads.values()].flatMap((u) =>
        u.shared && u.content !== undefined
          ? [
              {
                channelId: u.shared.channelId,
                ...(u.shared.threadTs ? { threadTs: u.shared.threadTs } : {}),
                filename: u.filename,
                ...(u.shared.title ? { title: u.shared.title } : {}),
                content: u.content,
              },
            ]
          : [],
      ),
    clear: () => {
      calls.length = 0;
      failures.clear();
      uploads.clear();
    },
    sendEnvelope: (envelope, timeoutMs = PATIENCE_MS) =>
      new Promise((resolve, reject) => {
        if (!socket) return reject(new Error('fake Slack: no Socket Mode client is connected'));
        const envelopeId = randomUUID();
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`fake Slack: no ack for ${envelope.type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (payload) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve(payload);
        });
        socket.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type: envelope.type,
            payload: envelope.payload,
            accepts_response_payload: envelope.type !== 'events_api',
            retry_attempt: envelope.retryAttempt ?? 0,
            retry_reason: envelope.retryAttempt ? 'timeout' : '',
          }),
        );
      }),
    socketConnected: (timeoutMs = PATIENCE_MS) =>
      new Promise((resolve, reject) => {
        if (socket) return resolve();
        const done = () => {
          socketWaiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          socketWaiters.delete(done);
          reject(new Error('fake Slack: no Socket Mode client connected'));
        }, timeoutMs);
        socketWaiters.add(done);
      }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The second step of an upload: the file's bytes, posted to the address Slack gave. */
async function receiveUpload(req: IncomingMessage, res: ServerResponse, upload: FakeSlackUpload | undefined) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!upload) return send(res, 404, { ok: false, error: 'not_found' });
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const first = [...form.values()][0];
    upload.content = typeof first === 'string' ? first : await (first as Blob).text();
  } else {
    upload.content = raw.toString('utf8');
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(`OK - ${raw.length}`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) {
    if (typeof body[field] === 'string') {
      try {
        body[field] = JSON.parse(body[field] as string);
      } catch {
        // Slack would reject it; keep the raw string so a test can see what was sent.
      }
    }
  }
  return body;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
