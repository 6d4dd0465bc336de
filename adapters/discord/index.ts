import {
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayDispatchEvents,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  GatewayIntentBits,
  type RateLimitData,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { ChatPlatform, EventHandler, InboundEvent } from '../../src/chat/index.js';
import type { CommandSpec } from '../../src/commands/types.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Inbox } from '../../src/inbox.js';
import type { Logger } from '../../src/logger.js';
import { buildCommand } from './commands.js';
import { toDeliveryError } from './errors.js';
import { viaFetch } from './fetch.js';
import { memberJoinedEvent, memberLeftEvent, serverRemovedEvent } from './inbound.js';
import { createDiscordIntake } from './intake.js';
import { createInteractions } from './interactions.js';
import { inviteUrl } from './invite.js';
import { discordLimits } from './limits.js';
import { createOutbound } from './outbound.js';
import { usableMemberEvent } from './payloads.js';
import { registerCommand } from './registration.js';
import { createSeenMembers } from './seen-members.js';

export { VARIADIC_SEPARATOR } from './commands.js';

/**
 * The gateway intents copro asks for. Guilds (not privileged) delivers GUILD_DELETE, so copro
 * knows when a server removes it and stops its work there. Server Members (privileged: switch it
 * on in the Developer Portal) delivers GUILD_MEMBER_ADD, so newcomers get a welcome. Interactions
 * need no intent, and copro reads no messages, so Message Content is not requested.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] as const;

export interface DiscordPlatformDeps {
  readonly logger: Logger;
  /** Where interactions are kept until handled. Without one, a crash loses what was acknowledged. */
  readonly inbox?: Inbox;
  /** The command catalogue; `/copro` is generated from it. */
  readonly catalogue: readonly CommandSpec[];
}

/** Knobs for tests and unusual deployments; production uses the defaults. */
export interface DiscordTuning {
  /** Defer an interaction the core has not answered within this long (Discord allows 3 s). */
  readonly deferAfterMs?: number;
  /** Passed to discord.js's gateway manager (tests replace the identify throttle). */
  readonly ws?: ClientOptions['ws'];
  /** How long one REST call may take before it counts as Discord being unavailable. */
  readonly restTimeoutMs?: number;
  /** How long stop() lets work in progress finish before the connection is closed. */
  readonly stopGraceMs?: number;
}

export interface DiscordPlatform extends ChatPlatform {
  readonly kind: 'discord';
  /** Resolves once everything received so far has been handled (used by stop and by tests). */
  settled(): Promise<void>;
}

const DEFAULT_DEFER_AFTER_MS = 2000;
const DEFAULT_STOP_GRACE_MS = 5000;

/**
 * The Discord adapter: discord.js for the gateway connection and REST. Interactions and member
 * events are read as Discord's own JSON (discord-api-types) and translated into copro events;
 * answers go back through the REST API.
 */
export function createDiscordPlatform(
  config: DiscordConfig,
  deps: DiscordPlatformDeps,
  tuning: DiscordTuning = {},
): DiscordPlatform {
  const logger = deps.logger.child({ platform: 'discord' });
  const definition = buildCommand(deps.catalogue);
  const client = new Client({
    intents: [...INTENTS],
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      // The outbox owns retries: fail fast and say why, rather than retrying or waiting silently.
      retries: 0,
      timeout: tuning.restTimeoutMs ?? 10_000,
      // Interaction answers may wait out a short limit; posts and edits report it to the outbox.
      rejectOnRateLimit: (limit: RateLimitData) => !/^\/(interactions|webhooks)\//.test(limit.route),
      makeRequest: viaFetch,
    },
    ...(tuning.ws ? { ws: tuning.ws } : {}),
  });
  // Set now, not at login: the outbox may post before the gateway is connected.
  client.rest.setToken(config.token);
  const outbound = createOutbound(client.rest, logger);
  const pending = new Set<Promise<unknown>>();
  let handle: EventHandler | undefined;
  let accepting = false;

  const track = (work: Promise<unknown>) => {
    pending.add(work);
    const done = () => pending.delete(work);
    work.then(done, done);
  };
  const settled = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  const dispatch = (event: InboundEvent) => {
    if (!handle) throw new Error('The Discord adapter received an event before start()');
    return handle(event);
  };
  const seen = createSeenMembers();
  const interactions = createInteractions({
    rest: client.rest,
    applicationId: config.applicationId,
    routes: definition.routes,
    logger,
    handle: dispatch,
    deferAfterMs: tuning.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
    track,
    seen,
  });
  const intake = createDiscordIntake({
    inbox: deps.inbox,
    logger,
    receive: interactions.receive,
    tellUnavailable: interactions.tell,
  });

  const memberEvent = (event: InboundEvent | undefined) => {
    if (!event || !accepting) return;
    track(
      dispatch(event).catch((err: unknown) => logger.error({ err, kind: event.kind }, 'member event failed')),
    );
  };

  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  readRawOnly(client);
  // Dispatches are checked (payloads.ts) before anything reads them: a malformed one is logged
  // and dropped, never thrown inside the gateway's event handler.
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => {
    if (accepting) track(intake.take(data));
  });
  client.ws.on(GatewayDispatchEvents.GuildMemberAdd, (data: unknown) => {
    if (usableMemberEvent('add', data, logger))
      memberEvent(memberJoinedEvent(data as GatewayGuildMemberAddDispatchData));
  });
  client.ws.on(GatewayDispatchEvents.GuildMemberRemove, (data: unknown) => {
    if (!usableMemberEvent('remove', data, logger)) return;
    const left = data as GatewayGuildMemberRemoveDispatchData;
    seen.left(left.guild_id, left.user.id);
    memberEvent(memberLeftEvent(left, new Date()));
  });
  client.ws.on(GatewayDispatchEvents.GuildDelete, (data: unknown) => {
    memberEvent(serverRemovedEvent(data, new Date()));
  });

  async function start(handler: EventHandler): Promise<void> {
    handle = handler;
    const scope = { applicationId: config.applicationId, guildId: config.guildId };
    try {
      const { result, removedFrom } = await registerCommand(client.rest, scope, definition.body);
      logger.info({ result, guildId: config.guildId ?? 'global' }, 'the /copro command is registered');
      if (removedFrom.length > 0) {
        logger.info(
          { removedFrom },
          'removed /copro from where it was registered before, so members see one',
        );
      }
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.reason !== 'rate_limited') throw explainStartFailure(failure, 'Registering /copro');
      // Discord's daily command limit: the definition already there keeps working.
      logger.warn(
        { retryAfterMs: failure.retryAfterMs },
        'could not update /copro now; keeping the registered one',
      );
    }
    // Read before anything new can arrive, so only what the last run left is handled again.
    const waiting = await intake.waiting();
    accepting = true;
    await connect();
    logger.info({ invite: inviteUrl(config.applicationId) }, 'connected to the Discord gateway');
    track(intake.replay(waiting));
  }

  /** Logs in and waits for READY; a connection Discord closes for good fails start() with the reason. */
  async function connect(): Promise<void> {
    let closedWith: number | undefined;
    const onClose = (event: { code: number }) => {
      closedWith = event.code;
    };
    client.on(Events.ShardDisconnect, onClose);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    try {
      await client.login(config.token);
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => client.once(Events.ShardDisconnect, (e) => reject(e))),
      ]);
    } catch (error) {
      if (closedWith !== undefined) throw closedBeforeReady(closedWith);
      throw explainStartFailure(
        error instanceof Error ? error : new Error(String(error)),
        'connect to Discord',
      );
    } finally {
      client.off(Events.ShardDisconnect, onClose);
    }
  }

  async function stop(): Promise<void> {
    accepting = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      settled(),
      new Promise((resolve) => (timer = setTimeout(resolve, tuning.stopGraceMs ?? DEFAULT_STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    await client.destroy();
    logger.info('disconnected from Discord');
  }

  return {
    kind: 'discord',
    limits: discordLimits,
    start,
    stop,
    settled,
    post: (to, message) => outbound.post(to, message),
    update: (ref, message) => outbound.update(ref, message),
    isChannelMember: async (guildId, _channelId, userId) =>
      seen.seenLately(guildId, userId) || isServerMember(client, guildId, userId),
  };
}

/** Dispatches copro reads as raw JSON itself (the listeners above). */
const READ_RAW = new Set<string>([
  GatewayDispatchEvents.InteractionCreate,
  GatewayDispatchEvents.GuildMemberAdd,
  GatewayDispatchEvents.GuildMemberRemove,
]);

/**
 * discord.js also turns these dispatches into its own objects and caches, which copro never uses,
 * and its handlers throw on a malformed payload before copro's check has a say. So they are
 * left to copro alone. `handlePacket` is internal to discord.js (14.x): if it is ever missing,
 * nothing is changed and the library handles every dispatch as before.
 */
function readRawOnly(client: Client): void {
  const ws = client.ws as unknown as {
    handlePacket?: (packet: { t?: string } | undefined, shard: unknown) => boolean;
  };
  const handlePacket = ws.handlePacket?.bind(ws);
  if (!handlePacket) return;
  ws.handlePacket = (packet, shard) =>
    // Called with no packet, it still moves on the library's queue of early dispatches.
    packet?.t && READ_RAW.has(packet.t) ? handlePacket(undefined, shard) : handlePacket(packet, shard);
}

/**
 * On Discord a group is its server's members (joins and leaves are server events), so the
 * question "is this person in the group's channel?" is asked of the server.
 */
async function isServerMember(client: Client, guildId: string, userId: string): Promise<boolean> {
  try {
    await client.rest.get(Routes.guildMember(guildId, userId));
    return true;
  } catch (error) {
    if (
      error instanceof DiscordAPIError &&
      (error.code === RESTJSONErrorCodes.UnknownMember || error.status === 404)
    )
      return false;
    throw error;
  }
}

function explainStartFailure(failure: Error, doing: string): Error {
  const hint = /401|Unauthorized|invalid token/i.test(failure.message)
    ? ' Check DISCORD_TOKEN: Discord did not accept it.'
    : '';
  return new Error(`${doing} failed: ${failure.message}.${hint}`);
}

function closedBeforeReady(code: number): Error {
  if (code === 4014) {
    return new Error(
      'Discord refused the Server Members intent. In the Developer Portal, open your application, then Bot, and switch on "Server Members Intent".',
    );
  }
  if (code === 4004)
    return new Error('Discord did not accept DISCORD_TOKEN. Reset the token and set it again.');
  return new Error(`Discord closed the connection before it was ready (code ${code}).`);
}
