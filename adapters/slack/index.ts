import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { ChatPlatform, EventHandler, EventOutcome, InboundEvent } from '../../src/chat/index.js';
import type { SlackConfig } from '../../src/config.js';
import { errorRef } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { createActorLookup } from './actors.js';
import { slackErrorCode } from './errors.js';
import {
  actionEvent,
  type BlockActionBody,
  commandEvent,
  formEvent,
  homeOpenedEvent,
  type InboundTools,
  memberEvent,
  type Respond,
  type SlashCommandBody,
  type ViewSubmissionBody,
} from './inbound.js';
import { boltLogger, createOutbound, createSlackApi, withSlash } from './outbound.js';

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

/** The Events API events copro subscribes to; slack-manifest.yml lists the same (a test checks). */
export const SLACK_EVENTS = ['app_home_opened', 'member_joined_channel', 'member_left_channel'] as const;

/** Slack wants an answer within 3 seconds; a form's field errors must be in that answer. */
const FORM_ANSWER_WITHIN_MS = 2500;

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
  const api = createSlackApi(config.botToken, config.apiUrl, logger);
  const outbound = createOutbound(api);
  const actorFor = createActorLookup(api, logger);
  const tools: InboundTools = { api, ...outbound };
  const pending = new Set<Promise<unknown>>();
  let app: App | undefined;
  let server: Server | undefined;
  let healthServer: Server | undefined;

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    const done = () => pending.delete(work);
    work.then(done, done);
    return work;
  };

  const settled = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  async function start(handle: EventHandler): Promise<void> {
    if (app) throw new Error('the Slack adapter is already started');
    const auth = await api.auth.test().catch((error: unknown) => {
      throw new Error(
        `Slack did not accept SLACK_BOT_TOKEN (${slackErrorCode(error) ?? 'no answer'}). ` +
          'Copy the Bot User OAuth Token from your Slack app’s "OAuth & Permissions" page.',
      );
    });
    const botUserId = auth.user_id;

    // Each event is handled once; a failure is logged with a reference and never escapes to Bolt.
    const run = async (event: InboundEvent): Promise<EventOutcome | undefined> => {
      try {
        return await handle(event);
      } catch (error) {
        logger.error({ ref: errorRef(), err: error, kind: event.kind }, 'a Slack event failed');
        return undefined;
      }
    };

    const inner: Receiver =
      mode === 'socket'
        ? new SocketModeReceiver({
            appToken: config.appToken as string,
            logger: boltLogger(logger),
            installerOptions: {
              clientOptions: config.apiUrl ? { slackApiUrl: withSlash(config.apiUrl) } : {},
            },
          })
        : new HTTPReceiver({
            signingSecret: config.signingSecret as string,
            endpoints: '/slack/events',
            logger: boltLogger(logger),
            customRoutes: [{ path: '/healthz', method: ['GET'], handler: healthHandler(deps.health) }],
          });
    // Bolt hands every request to app.processEvent; wrapping it lets stop() and tests wait for the work.
    const receiver: Receiver = {
      init: (bolt) => inner.init({ processEvent: (event) => track(bolt.processEvent(event)) } as App),
      start: (...args) => inner.start(...args),
      stop: (...args) => inner.stop(...args),
    };
    const bolt = new App({
      token: config.botToken,
      botId: auth.bot_id,
      botUserId,
      receiver,
      logger: boltLogger(logger),
      // A fresh object: Bolt keeps and changes the options it is given.
      clientOptions: {
        ...(config.apiUrl ? { slackApiUrl: withSlash(config.apiUrl) } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      },
    });

    bolt.command(/.*/, async ({ ack, body, respond }) => {
      await ack();
      const command = body as unknown as SlashCommandBody;
      const actor = await actorFor(command.team_id, command.user_id, command.user_name);
      await run(commandEvent(command, actor, respond as Respond, tools));
    });

    bolt.action({ type: 'block_actions' }, async ({ ack, body, respond }) => {
      await ack();
      const click = body as unknown as BlockActionBody & { user: { team_id?: string } };
      const actor = await actorFor(
        click.team?.id ?? click.user.team_id ?? '',
        click.user.id,
        click.user.name,
      );
      const event = actionEvent(click, actor, respond as Respond | undefined, tools);
      if (event) await run(event);
    });

    bolt.view(/.*/, async ({ ack, body }) => {
      const submission = body as unknown as ViewSubmissionBody & { user: { team_id?: string } };
      const work = (async () => {
        const team = submission.team?.id ?? submission.user.team_id ?? '';
        const actor = await actorFor(team, submission.user.id, submission.user.name);
        return run(formEvent(submission, actor, tools));
      })();
      const outcome = await Promise.race([work, delay(FORM_ANSWER_WITHIN_MS).then(() => 'late' as const)]);
      if (outcome === 'late') {
        // Too slow to answer inside Slack's window: close the form now and let the work finish.
        await ack();
        const late = await work;
        if (late?.formErrors)
          logger.warn({ formId: submission.view.callback_id }, 'form errors came too late to show');
        return;
      }
      const errors = outcome?.formErrors;
      if (errors && Object.keys(errors).length > 0)
        await ack({ response_action: 'errors', errors: { ...errors } });
      else await ack();
    });

    for (const [type, kind] of [
      ['member_joined_channel', 'memberJoined'],
      ['member_left_channel', 'memberLeft'],
    ] as const) {
      bolt.event(type, async ({ event, body }) => {
        if (event.user === botUserId) return; // the bot itself being invited is not a member joining
        const actor = await actorFor(body.team_id, event.user);
        if (actor.isBot) return;
        await run(memberEvent(kind, body.event_id, actor, event.channel));
      });
    }

    bolt.event('app_home_opened', async ({ event, body }) => {
      if (event.tab !== 'home') return;
      const actor = await actorFor(body.team_id, event.user);
      await run(homeOpenedEvent(body.event_id, actor, tools));
    });

    bolt.error(async (error) => {
      logger.error({ ref: errorRef(), err: error }, 'Slack request failed');
    });

    app = bolt;
    if (mode === 'http') {
      server = (await bolt.start({ port: config.port, host: config.host })) as Server;
    } else {
      healthServer = createServer(healthHandler(deps.health));
      await listen(healthServer, config.port, config.host);
      await bolt.start();
    }
    logger.info({ mode, port: boundPort() }, 'connected to Slack');
  }

  function boundPort(): number | undefined {
    const address = (server ?? healthServer)?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async function stop(): Promise<void> {
    const bolt = app;
    if (!bolt) return;
    app = undefined;
    server?.closeIdleConnections();
    await Promise.race([settled(), delay(5000)]);
    server?.closeAllConnections();
    await bolt.stop();
    if (healthServer) {
      const closing = healthServer;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
    server = undefined;
    healthServer = undefined;
  }

  return {
    kind: 'slack',
    mode,
    get port() {
      return boundPort();
    },
    start,
    stop,
    settled,
    post: outbound.post,
    update: outbound.update,
  };
}

/** GET /healthz: 200 when the database answers, 503 when it does not. */
function healthHandler(health: () => Promise<boolean>) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const answer = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
    };
    health().then(answer, () => answer(false));
  };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
