import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
} from 'discord-api-types/v10';
import { FakeDriver } from './fake-discord-driver.js';
import { FakeGateway } from './fake-discord-gateway.js';
import { apiMessage, snowflake } from './fake-discord-payloads.js';
import { messageProblems, modalProblems } from './fake-discord-validate.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are untrusted JSON
type Json = any;

export interface RecordedRequest {
  readonly method: string;
  /** Path after /api/v10, decoded: "/channels/1/messages", "/webhooks/app/token/messages/@original". */
  readonly path: string;
  readonly body: Json;
  readonly authorized: boolean;
}

/** A message the bot created, as the fake stores it. */
export interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  /** Set on replies and follow-ups to an interaction; absent on messages posted in a channel. */
  readonly interactionId?: string;
  content: string;
  components: Json[];
  embeds: Json[];
  flags: number;
  edits: number;
  /** A "thinking…" placeholder left by a deferred reply, not yet edited. */
  deferred: boolean;
}

export interface InteractionRecord {
  readonly payload: APIInteraction;
  readonly dispatchedAt: number;
  readonly callbacks: { type: InteractionResponseType; data: Json }[];
  original?: StoredMessage;
  readonly followups: StoredMessage[];
  modal?: APIModalInteractionResponseCallbackData;
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
  readonly botUser = {
    id: this.applicationId,
    username: 'copro',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
  readonly requests: RecordedRequest[] = [];
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly messages = new Map<string, StoredMessage>();
  readonly dmChannels = new Map<string, string>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly gateway: FakeGateway;
  apiUrl = '';
  private readonly server: Server;
  private readonly failures: { method?: string; path: RegExp; failure: Failure }[] = [];
  private readonly window: number;

  private constructor(options: FakeDiscordOptions) {
    super();
    this.token = options.token ?? 'fake-bot-token';
    this.window = options.interactionWindowMs ?? 3000;
    this.gateway = new FakeGateway({
      token: this.token,
      applicationId: this.applicationId,
      botUser: this.botUser,
      guildId: this.guildId,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      privilegedIntents: options.privilegedIntents ?? GatewayIntentBits.GuildMembers,
      gatewayUrl: () => this.gatewayUrl,
      guildCreate: () => this.guildCreate(),
    });
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

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Messages posted in a channel (not interaction replies), oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && !m.interactionId);
  }

  dmsTo(userId: string): StoredMessage[] {
    const channel = this.dmChannels.get(userId);
    return channel ? this.messagesIn(channel) : [];
  }

  /** Every message an interaction produced that a person can see: its reply and follow-ups. */
  visible(record: InteractionRecord): StoredMessage[] {
    return [record.original, ...record.followups].filter((m): m is StoredMessage => !!m && !m.deferred);
  }

  toApiMessage(m: StoredMessage): APIMessage {
    return apiMessage({
      id: m.id,
      channel_id: m.channelId,
      content: m.content,
      author: this.botUser,
      components: m.components,
      embeds: m.embeds,
      flags: m.flags,
      application_id: this.applicationId,
    });
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

  protected dispatchInteraction(payload: APIInteraction): InteractionRecord {
    const record: InteractionRecord = { payload, dispatchedAt: Date.now(), callbacks: [], followups: [] };
    this.interactions.set(payload.id, record);
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
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname
      .replace(/^\/api\/v10/, '')
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === `Bot ${this.token}`;
    const body = text ? JSON.parse(text) : undefined;
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

  private handle(method: string, path: string, body: Json): [number, unknown?] {
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
      if (tail === 'commands' && method === 'PUT') return [200, this.overwriteCommands(scope, body, seg[3])];
    }
    if (seg[0] === 'interactions' && seg[3] === 'callback' && method === 'POST')
      return this.callback(seg[1]!, seg[2]!, body);
    if (seg[0] === 'webhooks' && seg[1] === this.applicationId)
      return this.webhook(method, seg[2]!, seg.slice(3), body);
    if (seg[0] === 'channels' && seg[2] === 'messages')
      return this.channelMessage(method, seg[1]!, seg[3], body);
    if (key === 'POST /users/@me/channels') return [200, this.openDm(body.recipient_id)];
    return [404, { message: '404: Not Found', code: 0 }];
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

  private callback(id: string, token: string, body: Json): [number, unknown?] {
    const record = this.interactions.get(id);
    if (!record || record.payload.token !== token || Date.now() - record.dispatchedAt > this.window) {
      return [404, { message: 'Unknown interaction', code: 10062 }];
    }
    if (record.callbacks.length > 0)
      return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
    const type: InteractionResponseType = body.type;
    const fromMessage = record.payload.message;
    const problems =
      type === InteractionResponseType.Modal
        ? modalProblems(body.data)
        : type === InteractionResponseType.ChannelMessageWithSource ||
            type === InteractionResponseType.UpdateMessage
          ? messageProblems(body.data, { partial: type === InteractionResponseType.UpdateMessage })
          : [];
    const allowed: Record<number, boolean> = {
      [InteractionResponseType.ChannelMessageWithSource]: true,
      [InteractionResponseType.DeferredChannelMessageWithSource]: true,
      [InteractionResponseType.DeferredMessageUpdate]: !!fromMessage,
      [InteractionResponseType.UpdateMessage]: !!fromMessage,
      [InteractionResponseType.Modal]: record.payload.type !== 5,
    };
    if (!allowed[type]) problems.push(`type: ${type} is not valid for this interaction`);
    if (problems.length > 0) return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    record.callbacks.push({ type, data: body.data });
    const channelId = record.payload.channel_id!;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      record.original = this.store(channelId, body.data, id);
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      record.original = this.store(channelId, { content: '', flags: body.data?.flags }, id);
      record.original.deferred = true;
    } else if (
      type === InteractionResponseType.UpdateMessage ||
      type === InteractionResponseType.DeferredMessageUpdate
    ) {
      record.original = this.messages.get(fromMessage!.id);
      if (type === InteractionResponseType.UpdateMessage && record.original)
        this.edit(record.original, body.data);
    } else if (type === InteractionResponseType.Modal) {
      record.modal = body.data;
    }
    return [204];
  }

  private webhook(method: string, token: string, rest: string[], body: Json): [number, unknown?] {
    const record = [...this.interactions.values()].find((r) => r.payload.token === token);
    // A modal as the first answer leaves nothing to follow up or edit.
    const first = record?.callbacks[0]?.type;
    if (!record || first === undefined || first === InteractionResponseType.Modal) {
      return [404, { message: 'Unknown Webhook', code: 10015 }];
    }
    if (rest.length === 0 && method === 'POST') {
      const problems = messageProblems(body);
      if (problems.length > 0) return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
      const message = this.store(record.payload.channel_id!, body, record.payload.id);
      record.followups.push(message);
      return [200, this.toApiMessage(message)];
    }
    const messageId = rest[1];
    const target = messageId === '@original' ? record.original : this.messages.get(messageId ?? '');
    if (rest[0] !== 'messages' || !target) return [404, { message: 'Unknown Message', code: 10008 }];
    if (method === 'GET') return [200, this.toApiMessage(target)];
    if (method === 'DELETE') {
      this.messages.delete(target.id);
      return [204];
    }
    const problems = messageProblems(body, { partial: true });
    if (problems.length > 0) return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    this.edit(target, body);
    return [200, this.toApiMessage(target)];
  }

  private channelMessage(
    method: string,
    channelId: string,
    messageId: string | undefined,
    body: Json,
  ): [number, unknown?] {
    const known = channelId === this.channelId || [...this.dmChannels.values()].includes(channelId);
    if (!known) return [404, { message: 'Unknown Channel', code: 10003 }];
    if (method === 'POST' && !messageId) {
      const problems = messageProblems(body);
      if (problems.length > 0) return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
      return [200, this.toApiMessage(this.store(channelId, body))];
    }
    const target = messageId ? this.messages.get(messageId) : undefined;
    if (!target || target.channelId !== channelId) return [404, { message: 'Unknown Message', code: 10008 }];
    if (method === 'DELETE') {
      this.messages.delete(target.id);
      return [204];
    }
    if (method !== 'PATCH') return [405, { message: '405: Method Not Allowed', code: 0 }];
    const problems = messageProblems(body, { partial: true });
    if (problems.length > 0) return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    this.edit(target, body);
    return [200, this.toApiMessage(target)];
  }

  private openDm(userId: string) {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(userId, id);
    }
    return {
      id,
      type: 1,
      recipients: [{ id: userId, username: 'member', discriminator: '0', global_name: null, avatar: null }],
    };
  }

  private store(channelId: string, body: Json, interactionId?: string): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channelId,
      interactionId,
      content: body?.content ?? '',
      components: body?.components ?? [],
      embeds: body?.embeds ?? [],
      flags: body?.flags ?? 0,
      edits: 0,
      deferred: false,
    };
    this.messages.set(message.id, message);
    return message;
  }

  private edit(target: StoredMessage, body: Json): void {
    if (body?.content !== undefined) target.content = body.content;
    if (body?.components !== undefined) target.components = body.components;
    if (body?.embeds !== undefined) target.embeds = body.embeds;
    target.edits++;
    target.deferred = false;
  }
}

export { MessageFlags };
