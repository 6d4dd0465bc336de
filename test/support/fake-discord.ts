import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIInteraction,
  type APIMessage,
  type APIOverwrite,
  type APIUser,
  GatewayIntentBits,
} from 'discord-api-types/v10';
import { decodedOrAsSent } from './decoded.js';
import { FakeDriver } from './fake-discord-driver.js';
import { FakeGateway } from './fake-discord-gateway.js';
import { FakeInteractions, type InteractionRecord } from './fake-discord-interactions.js';
import { type Answer, type Json, MessageStore, type StoredMessage } from './fake-discord-messages.js';
import { snowflake } from './fake-discord-payloads.js';
import { DEFAULT_BOT_PERMISSIONS, type SetupState, setupRoute } from './fake-discord-setup.js';
import { createStorm, type EarlyCall } from './fake-slack-storm.js';

const POST_MESSAGE = /^\/channels\/([^/]+)\/messages$/;

export type { InteractionRecord, StoredMessage };

export interface RecordedRequest {
  readonly method: string;
  /** Path after /api/v10, decoded: "/channels/1/messages", "/webhooks/app/token/messages/@original". */
  readonly path: string;
  readonly body: Json;
  readonly authorized: boolean;
}

export type Failure =
  | { readonly status: 429; readonly retryAfterSeconds: number; readonly global?: boolean }
  | { readonly status: 500 | 502 | 503 }
  | { readonly status: 400 | 403 | 404; readonly code?: number; readonly message?: string };

export interface FakeDiscordOptions {
  readonly token?: string;
  /** How long an interaction may wait for its first response; Discord allows 3 s. */
  readonly interactionWindowMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Privileged intents switched on for the application (default: Server Members). */
  readonly privilegedIntents?: number;
  /** What copro's role allows in the server; default: what the invite asks for. */
  readonly botPermissions?: bigint;
  /** Permission overwrites on the group's channel (none by default: a public channel). */
  readonly channelOverwrites?: APIOverwrite[];
}

/**
 * A fake Discord on 127.0.0.1: the REST routes a bot touches and a WebSocket gateway. It checks
 * what Discord checks (auth, body limits, the interaction lifecycle and its 3-second window),
 * records every request, and fails on demand (429 with retry_after, 5xx, 4xx).
 */
export class FakeDiscord extends FakeDriver<InteractionRecord> {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly botUser: APIUser = {
    id: this.applicationId,
    username: 'copro',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
  readonly requests: RecordedRequest[] = [];
  /** People who are not in the server: GET /guilds/:id/members/:user answers Unknown Member for them. */
  readonly outsiders = new Set<string>();
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly store: MessageStore;
  readonly lifecycle: FakeInteractions;
  readonly gateway: FakeGateway;
  /** The server as the setup check sees it; tests change it to break one thing at a time. */
  readonly setup: SetupState;
  apiUrl = '';
  private readonly server: Server;
  private readonly failures: { method?: string; path: RegExp; failure: Failure }[] = [];
  private readonly storms = createStorm();

  private constructor(options: FakeDiscordOptions) {
    super();
    this.token = options.token ?? 'fake-bot-token';
    this.store = new MessageStore(this.channelId, this.botUser);
    this.lifecycle = new FakeInteractions(this.store, options.interactionWindowMs ?? 3000);
    this.gateway = new FakeGateway({
      token: this.token,
      applicationId: this.applicationId,
      botUser: this.botUser,
      guildId: this.guildId,
      // Discord's own interval. A short one makes a busy test process miss an ack and reconnect.
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      privilegedIntents: options.privilegedIntents ?? GatewayIntentBits.GuildMembers,
      gatewayUrl: () => this.gatewayUrl,
      guildCreate: () => this.guildCreate(),
    });
    this.setup = {
      applicationId: this.applicationId,
      guildId: this.guildId,
      channelId: this.channelId,
      botUser: this.botUser,
      privilegedIntents: options.privilegedIntents ?? GatewayIntentBits.GuildMembers,
      botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      channelOverwrites: options.channelOverwrites ?? [],
      inGuild: true,
    };
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.upgrade(req, socket, head));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.apiUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/api`;
    return fake;
  }

  get gatewayUrl(): string {
    return `${this.apiUrl.replace(/^http/, 'ws').replace(/\/api$/, '')}/gateway`;
  }

  /** The next request matching `path` (and `method`) gets `failure` instead of an answer. */
  failNext(path: RegExp, failure: Failure, method?: string): void {
    this.failures.push({ path, failure, method });
  }

  /**
   * A 429 storm on posting messages: every POST /channels/:id/messages is refused for `forMs`,
   * each with retry_after `retryAfter` seconds for that channel; a post to a channel before its
   * retry_after ran out is refused too, and counted (earlyCalls).
   */
  storm(options: { forMs: number; retryAfter: number }): void {
    this.storms.start('POST message', options);
  }

  /** Posts made before the retry_after they were given ran out (see storm). */
  earlyCalls(): readonly EarlyCall[] {
    return this.storms.early;
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  get messages(): Map<string, StoredMessage> {
    return this.store.messages;
  }

  isDmChannel(channelId: string): boolean {
    return [...this.store.dmChannels.values()].includes(channelId);
  }

  get dmChannels(): Map<string, string> {
    return this.store.dmChannels;
  }

  get interactions(): Map<string, InteractionRecord> {
    return this.lifecycle.records;
  }

  /** Messages posted in a channel (not interaction replies), oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return this.store.messagesIn(channelId);
  }

  dmsTo(userId: string): StoredMessage[] {
    return this.store.dmsTo(userId);
  }

  /** Every message an interaction produced that a person can see: its reply and follow-ups. */
  visible(record: InteractionRecord): StoredMessage[] {
    return this.lifecycle.visible(record);
  }

  toApiMessage(m: StoredMessage): APIMessage {
    return this.store.toApiMessage(m);
  }

  /** Forgets requests, messages and interactions; registered commands and DM channels stay. */
  clear(): void {
    this.requests.length = 0;
    this.messages.clear();
    this.interactions.clear();
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Sends any dispatch as it is, the way a broken or hostile gateway could: nothing checks it.
   * An interaction with an id is recorded, so its answer (if any) can be read back.
   */
  dispatchRaw(t: string, d: unknown): void {
    const id = (d as { id?: unknown } | null)?.id;
    if (t === 'INTERACTION_CREATE' && typeof id === 'string') this.lifecycle.dispatched(d as APIInteraction);
    if (this.gateway.dispatch({ t, d } as never) === 0)
      throw new Error('No bot is connected to the fake gateway.');
  }

  protected dispatchInteraction(payload: APIInteraction): InteractionRecord {
    const record = this.lifecycle.dispatched(payload);
    if (this.gateway.dispatch({ t: 'INTERACTION_CREATE', d: payload } as never) === 0) {
      throw new Error('No bot is connected to the fake gateway.');
    }
    return record;
  }

  private guildCreate() {
    return {
      id: this.guildId,
      name: 'Leaflet review group',
      icon: null,
      owner_id: snowflake(),
      roles: [],
      emojis: [],
      stickers: [],
      features: [],
      channels: [{ id: this.channelId, type: 0, name: 'co-production', position: 0, guild_id: this.guildId }],
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      member_count: 3,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      preferred_locale: 'en-GB',
    };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname
      .replace(/^\/api\/v10/, '')
      .split('/')
      .map(decodedOrAsSent)
      .join('/');
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === `Bot ${this.token}`;
    const type = req.headers['content-type'] ?? '';
    const body = type.includes('multipart/form-data')
      ? await multipartBody(raw, type)
      : text
        ? JSON.parse(text)
        : undefined;
    this.requests.push({ method, path, body, authorized });

    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(
        status,
        json === undefined ? headers : { 'content-type': 'application/json', ...headers },
      );
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };

    const failure = this.takeFailure(method, path);
    if (failure) return this.fail(failure, reply);
    const posting = method === 'POST' ? POST_MESSAGE.exec(path) : null;
    const refused = posting && this.storms.refuse('POST message', { channel: posting[1] });
    if (refused) return this.fail({ status: 429, retryAfterSeconds: refused.retryAfter }, reply);
    const open = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!open && !authorized) return reply(401, { message: '401: Unauthorized', code: 0 });
    const [status, json] = this.handle(method, path, body);
    reply(status, json);
  }

  private takeFailure(method: string, path: string): Failure | undefined {
    const index = this.failures.findIndex((f) => f.path.test(path) && (!f.method || f.method === method));
    return index < 0 ? undefined : this.failures.splice(index, 1)[0]!.failure;
  }

  private fail(failure: Failure, reply: (s: number, j?: unknown, h?: Record<string, string>) => void): void {
    if (failure.status === 429) {
      const headers: Record<string, string> = {
        'retry-after': String(failure.retryAfterSeconds),
        'x-ratelimit-scope': failure.global ? 'global' : 'user',
      };
      if (failure.global) headers['x-ratelimit-global'] = 'true';
      reply(
        429,
        {
          message: 'You are being rate limited.',
          retry_after: failure.retryAfterSeconds,
          global: !!failure.global,
        },
        headers,
      );
    } else if (failure.status >= 500) {
      reply(failure.status, { message: 'Internal Server Error', code: 0 });
    } else {
      const f = failure as { status: number; code?: number; message?: string };
      reply(f.status, { message: f.message ?? 'Missing Access', code: f.code ?? 50001 });
    }
  }

  private handle(method: string, path: string, body: Json): Answer {
    const seg = path.split('/').filter(Boolean);
    const key = `${method} ${path}`;
    if (key === 'GET /gateway/bot') {
      return [
        200,
        {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      ];
    }
    if (seg[0] === 'applications' && seg[1] === this.applicationId) {
      const scope = seg[2] === 'guilds' ? `guild:${seg[3]}` : 'global';
      const tail = seg[2] === 'guilds' ? seg[4] : seg[2];
      if (tail === 'commands' && method === 'GET') return [200, this.commands.get(scope) ?? []];
      const id = seg[2] === 'guilds' ? seg[5] : seg[3];
      if (tail === 'commands' && method === 'PUT' && !id)
        return [200, this.overwriteCommands(scope, body, seg[3])];
      if (tail === 'commands' && method === 'DELETE' && id) return this.deleteCommand(scope, id);
    }
    if (seg[0] === 'interactions' && seg[3] === 'callback' && method === 'POST')
      return this.lifecycle.callback(seg[1]!, seg[2]!, body);
    if (seg[0] === 'webhooks' && seg[1] === this.applicationId)
      return this.lifecycle.webhook(method, seg[2]!, seg.slice(3), body);
    if (seg[0] === 'channels' && seg[2] === 'messages')
      return this.store.channelMessage(method, seg[1]!, seg[3], body);
    if (key === 'POST /users/@me/channels') return this.store.openDm(body.recipient_id);
    // Whether a person is in the server; the bot's own membership is the setup check's.
    if (
      method === 'GET' &&
      seg[0] === 'guilds' &&
      seg[2] === 'members' &&
      seg[3] &&
      seg[3] !== this.botUser.id
    ) {
      if (seg[1] !== this.guildId || this.outsiders.has(seg[3]))
        return [404, { message: 'Unknown Member', code: 10007 }];
      const user = {
        id: seg[3],
        username: `user${seg[3]}`,
        discriminator: '0',
        global_name: null,
        avatar: null,
      };
      return [
        200,
        { user, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
      ];
    }
    return setupRoute(this.setup, method, seg) ?? [404, { message: '404: Not Found', code: 0 }];
  }

  private deleteCommand(scope: string, id: string): Answer {
    const commands = this.commands.get(scope) ?? [];
    if (!commands.some((c) => c.id === id))
      return [404, { message: 'Unknown application command', code: 10063 }];
    this.commands.set(
      scope,
      commands.filter((c) => c.id !== id),
    );
    return [204];
  }

  private overwriteCommands(scope: string, body: Json[], guildId?: string): APIApplicationCommand[] {
    // Discord answers with its own shape: ids, versions and defaults added, `required: false` left out.
    const strip = (options: Json[] | undefined): Json[] | undefined =>
      options?.map(({ required, options: nested, ...rest }: Json) => ({
        ...rest,
        ...(required ? { required } : {}),
        ...(nested ? { options: strip(nested) } : {}),
      }));
    const saved = body.map((c: Json) => ({
      ...c,
      id: snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type: c.type ?? 1,
      default_member_permissions: c.default_member_permissions ?? null,
      nsfw: false,
      integration_types: c.integration_types ?? [0],
      contexts: c.contexts ?? null,
      ...(guildId ? { guild_id: guildId } : {}),
      options: strip(c.options),
    }));
    this.commands.set(scope, saved);
    return saved;
  }
}

/**
 * A message with files arrives as multipart/form-data: the JSON in `payload_json` and each file as
 * `files[n]`. The fake keeps the files on the body, as `files`, in the order of their numbers.
 */
async function multipartBody(raw: Buffer, type: string): Promise<Json> {
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const payload = form.get('payload_json');
  const body = typeof payload === 'string' ? JSON.parse(payload) : {};
  const files: { name: string; contentType: string; content: string }[] = [];
  for (const [key, value] of form.entries()) {
    if (!/^files\[\d+\]$/.test(key) || typeof value === 'string') continue;
    files.push({ name: value.name, contentType: value.type, content: await value.text() });
  }
  return { ...body, files };
}
