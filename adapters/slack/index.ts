import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { ChatPlatform, EventHandler, EventOutcome, InboundEvent } from '../../src/chat/index.js';
import type { SlackConfig } from '../../src/config.js';
import { errorRef } from '../../src/errors.js';
import type { Inbox } from '../../src/inbox.js';
import type { Logger } from '../../src/logger.js';
import { createActorLookup, createChannelCreatorLookup } from './actors.js';
import { createChannelMembership } from './channel-members.js';
import { createClickActors } from './click-actors.js';
import { checkSlackCredentials, firstProblem } from './credentials.js';
import { createHeldReplies } from './held-replies.js';
import { guardSlackRequests } from './http-guard.js';
import { type InboundTools, profileLearnedEvent } from './inbound.js';
import { createIntake } from './intake.js';
import { createKeptAnswers, type KeptAnswer } from './kept-answers.js';
import { createLeanFetch } from './lean-fetch.js';
import { slackLimits } from './limits.js';
import { listen } from './listeners.js';
import { boltLogger, createOutbound, createSlackApi, withSlash } from './outbound.js';
import { createGuardedReceiver } from './receiver.js';
import {
  HANDLED_AT_ONCE_ON_SERVER,
  HANDLED_AT_ONCE_WHEN_QUIET,
  HOLD_WHILE_ACKNOWLEDGING_MS,
} from './turns.js';
import { createUsersInfo } from './users-info.js';

export interface SlackPlatformConfig extends SlackConfig {
  /** HTTP port: Slack's requests (HTTP mode) and GET /healthz. 0 lets the system choose. */
  readonly port: number;
  /** Interface to listen on; all of them by default. */
  readonly host?: string;
}

export interface SlackPlatformDeps {
  readonly logger: Logger;
  /** Whether copro can serve requests (the database answers); GET /healthz reports it. */
  readonly health: () => Promise<boolean>;
  /** Where deliveries are kept until handled. Without one, a crash loses what was acknowledged. */
  readonly inbox?: Inbox;
  /** How long an acknowledgement may wait for the inbox before the person is told to try later. */
  readonly inboxPatienceMs?: number;
  /** Deliveries in hand while others wait for their acknowledgement (HANDLED_AT_ONCE, turns.ts). */
  readonly handledAtOnce?: number;
  /**
   * Deliveries in hand once none has arrived for a moment (turns.ts): HANDLED_AT_ONCE_WHEN_QUIET
   * on a database server. Default: no more than handledAtOnce.
   */
  readonly handledAtOnceWhenQuiet?: number;
  /**
   * How long a delivery may wait before it is taken in hand while others wait for their
   * acknowledgement (HOLD_WHILE_ACKNOWLEDGING_MS, turns.ts). Default 0: no wait.
   */
  readonly holdWhileAcknowledgingMs?: number;
  /** How long a form submission may wait for the core before the form is closed without its answer. */
  readonly formAnswerWithinMs?: number;
  /** How often someone counted under their click's name is looked up afterwards (LEARN_EVERY_MS). */
  readonly learnEveryMs?: number;
  /**
   * Whether answers to clicks wait while other deliveries wait or are in hand (held-replies.ts):
   * main.ts asks for it on a database server. Default: they go at once.
   */
  readonly holdReplies?: boolean;
  /** How old a kept answer must be, at a start, to be sent as one a stopped process left (kept-answers.ts). */
  readonly keptAnswersLeftAfterMs?: number;
}

export interface SlackPlatform extends ChatPlatform {
  readonly kind: 'slack';
  /** "socket" when SLACK_APP_TOKEN is set, else "http". */
  readonly mode: 'http' | 'socket';
  /** The port actually bound once started (the system's choice when asked for 0). */
  readonly port: number | undefined;
  /** Resolves once everything received so far has been handled (used by stop and by tests). */
  settled(): Promise<void>;
}

export { SLACK_EVENTS } from './subscribed.js';
/**
 * How the Slack adapter shares its time on a database server (main.ts; bench/poll-votes.ts): more
 * in hand, nothing new while acknowledgements are due, a backlog in large batches once quiet, and
 * answers held until the votes are stored. Not on the embedded database: it answers in copro's
 * own thread, where the next burst's acknowledgements would wait (turns.ts, held-replies.ts).
 */
export const ON_A_DATABASE_SERVER = {
  handledAtOnce: HANDLED_AT_ONCE_ON_SERVER,
  handledAtOnceWhenQuiet: HANDLED_AT_ONCE_WHEN_QUIET,
  holdWhileAcknowledgingMs: HOLD_WHILE_ACKNOWLEDGING_MS,
  holdReplies: true,
} as const satisfies Partial<SlackPlatformDeps>;

/**
 * The Slack adapter. HTTP mode serves POST /slack/events (slash commands, interactivity, the
 * Events API) and GET /healthz on one port; Socket Mode (SLACK_APP_TOKEN) needs no public URL
 * and keeps /healthz on the port. Every request is acknowledged first and handled after.
 */
export function createSlackPlatform(config: SlackPlatformConfig, deps: SlackPlatformDeps): SlackPlatform {
  const logger = deps.logger.child({ platform: 'slack' });
  const mode = config.appToken ? 'socket' : 'http';
  if (mode === 'http' && !config.signingSecret) {
    throw new Error('Slack needs SLACK_SIGNING_SECRET in HTTP mode (or SLACK_APP_TOKEN for Socket Mode).');
  }
  const http = createLeanFetch();
  const api = createSlackApi(config.botToken, config.apiUrl, logger, http.fetch);
  const outbound = createOutbound(api);
  const actorFor = createActorLookup(createUsersInfo(http.fetch, config.botToken, config.apiUrl), logger);
  const membership = createChannelMembership(api, () => teamId);
  const creatorOf = createChannelCreatorLookup(api, logger);
  const tools: InboundTools = { api, ...outbound };
  const pending = new Set<Promise<unknown>>();
  let app: App | undefined;
  let clickActors: ReturnType<typeof createClickActors> | undefined;
  let teamId: string | undefined;
  let server: Server | undefined;

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    const done = () => pending.delete(work);
    work.then(done, done);
    return work;
  };

  // Answers held through a burst are kept as well, and sent at the next start if copro stops first.
  const keptAnswers = deps.inbox
    ? createKeptAnswers({ inbox: deps.inbox, logger, track, leftAfterMs: deps.keptAnswersLeftAfterMs })
    : undefined;
  const sendKeptAnswer = async ({ to, message }: KeptAnswer) => {
    const response = await fetch(to, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`Slack answered ${response.status} to a kept answer`);
  };
  const couldNotResend = (err: unknown) =>
    logger.warn(
      { err },
      'could not read the answers kept before a restart; they are tried at the next start',
    );

  const settled = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  async function start(handle: EventHandler): Promise<void> {
    if (app) throw new Error('the Slack adapter is already started');
    // Both tokens are checked before anything starts: Socket Mode would otherwise retry a token
    // without connections:write for ever, without saying why.
    const report = await checkSlackCredentials(config, logger, api);
    const problem = firstProblem(report);
    if (problem || !report.identity) throw new Error(problem ?? 'Slack did not say who the bot is.');
    const botUserId = report.identity.botUserId;
    teamId = report.identity.teamId;

    // Each event is handled once; a failure is logged with a reference and never escapes to Bolt.
    const run = async (event: InboundEvent): Promise<EventOutcome | undefined> => {
      try {
        return await handle(event);
      } catch (error) {
        logger.error({ ref: errorRef(), err: error, kind: event.kind }, 'a Slack event failed');
        return undefined;
      }
    };

    const inner =
      mode === 'socket'
        ? new SocketModeReceiver({
            appToken: config.appToken as string,
            logger: boltLogger(logger),
            installerOptions: {
              clientOptions: config.apiUrl ? { slackApiUrl: withSlash(config.apiUrl) } : {},
            },
          })
        : createGuardedReceiver(logger);
    const health = healthHandler(deps.health);
    // The receiver hands every request to app.processEvent; the intake keeps it in the inbox first, keeps
    // payloads the listeners cannot use away from them, and lets stop() and tests wait for the work.
    const intake = createIntake({
      inbox: deps.inbox,
      logger,
      track,
      keepWithinMs: deps.inboxPatienceMs,
      handledAtOnce: deps.handledAtOnce,
      handledAtOnceWhenQuiet: deps.handledAtOnceWhenQuiet,
      holdWhileAcknowledgingMs: deps.holdWhileAcknowledgingMs,
    });
    const receiver: Receiver = {
      init: (bolt) =>
        ('receiver' in inner ? inner.receiver : inner).init({
          processEvent: (event) => intake.processEvent(bolt, event),
        } as App),
      start: async () => {
        if ('deliver' in inner) {
          const guarded = guardSlackRequests({
            signingSecret: config.signingSecret as string,
            logger,
            deliver: inner.deliver,
          });
          server = createServer((req, res) => {
            const path = new URL(req.url ?? '/', 'http://localhost').pathname;
            if (path === '/slack/events' && req.method === 'POST') return guarded(req, res);
            if (path === '/healthz' && req.method === 'GET') return health(req, res);
            res.writeHead(404);
            res.end();
          });
          await listenOn(server, config.port, config.host);
          return server;
        }
        server = createServer(health);
        await listenOn(server, config.port, config.host);
        return inner.start();
      },
      stop: async () => {
        if (inner instanceof SocketModeReceiver) await inner.stop();
      },
    };
    const bolt = new App({
      token: config.botToken,
      botId: report.identity.botId,
      botUserId,
      receiver,
      // No listener reads a conversation's stored state, so Bolt need not look it up per event.
      convoStore: false,
      logger: boltLogger(logger),
      // A fresh object: Bolt keeps and changes the options it is given.
      clientOptions: {
        ...(config.apiUrl ? { slackApiUrl: withSlash(config.apiUrl) } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        fetch: http.fetch,
      },
    });

    clickActors = createClickActors({
      actorFor,
      busy: intake.busy,
      learned: (actor) => run(profileLearnedEvent(actor)),
      logger,
      learnEveryMs: deps.learnEveryMs,
    });
    const replyWhenFree = deps.holdReplies
      ? createHeldReplies({ busy: intake.busy, idle: intake.idle, track, logger, keep: keptAnswers?.keep })
      : undefined;
    listen(bolt, {
      run,
      track,
      replyWhenFree,
      actorFor,
      clickActors,
      creatorOf,
      tools,
      botUserId,
      logger,
      formAnswerWithinMs: deps.formAnswerWithinMs,
      membership,
    });

    app = bolt;
    const waiting = await intake.waiting();
    await bolt.start();
    void intake.replay(bolt, waiting);
    if (keptAnswers) void keptAnswers.resend(sendKeptAnswer).catch(couldNotResend);
    logger.info({ mode, port: boundPort() }, 'connected to Slack');
  }

  function boundPort(): number | undefined {
    const address = server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async function stop(): Promise<void> {
    const bolt = app;
    if (!bolt) return;
    app = undefined;
    clickActors?.stop();
    server?.closeIdleConnections();
    await Promise.race([settled(), delay(5000)]);
    server?.closeAllConnections();
    await bolt.stop();
    const closing = server;
    server = undefined;
    if (closing) {
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
  }

  return {
    kind: 'slack',
    limits: slackLimits,
    mode,
    get port() {
      return boundPort();
    },
    start,
    stop,
    settled,
    post: outbound.post,
    update: outbound.update,
    isChannelMember: membership.isChannelMember,
  };
}

/** How long /healthz waits for the database before calling it unavailable. */
export const HEALTH_TIMEOUT_MS = 2000;

/** GET /healthz: 200 when the database answers within 2 seconds, 503 when it does not. */
function healthHandler(health: () => Promise<boolean>) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    let answered = false;
    const answer = (ok: boolean) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
    };
    const timer = setTimeout(() => answer(false), HEALTH_TIMEOUT_MS);
    health().then(answer, () => answer(false));
  };
}

function listenOn(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
