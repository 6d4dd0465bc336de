import type { APIMessage, APIUser } from 'discord-api-types/v10';
import { apiMessage, snowflake } from './fake-discord-payloads.js';
import { messageProblems } from './fake-discord-validate.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are untrusted JSON
export type Json = any;
/** An HTTP status and a JSON body (none for 204). */
export type Answer = [number, unknown?];

export function invalid(problems: readonly string[]): Answer | undefined {
  return problems.length > 0
    ? [400, { message: 'Invalid Form Body', code: 50035, errors: problems }]
    : undefined;
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
  /** Files attached when it was sent (multipart), with their text. */
  readonly files: readonly {
    readonly name: string;
    readonly contentType: string;
    readonly content: string;
  }[];
  edits: number;
  /** A "thinking…" placeholder left by a deferred reply, not yet edited. */
  deferred: boolean;
}

/** The fake's messages and DM channels, and the channel message routes. */
export class MessageStore {
  readonly messages = new Map<string, StoredMessage>();
  readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly homeChannelId: string,
    private readonly author: APIUser,
  ) {}

  store(channelId: string, body: Json, interactionId?: string): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channelId,
      interactionId,
      content: body?.content ?? '',
      components: body?.components ?? [],
      embeds: body?.embeds ?? [],
      flags: body?.flags ?? 0,
      files: body?.files ?? [],
      edits: 0,
      deferred: false,
    };
    this.messages.set(message.id, message);
    return message;
  }

  edit(target: StoredMessage, body: Json): void {
    if (body?.content !== undefined) target.content = body.content;
    if (body?.components !== undefined) target.components = body.components;
    if (body?.embeds !== undefined) target.embeds = body.embeds;
    target.edits++;
    target.deferred = false;
  }

  /** Messages posted in a channel (not interaction replies), oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && !m.interactionId);
  }

  dmsTo(userId: string): StoredMessage[] {
    const channel = this.dmChannels.get(userId);
    return channel ? this.messagesIn(channel) : [];
  }

  toApiMessage(m: StoredMessage): APIMessage {
    return apiMessage({
      id: m.id,
      channel_id: m.channelId,
      content: m.content,
      author: this.author,
      components: m.components,
      embeds: m.embeds,
      flags: m.flags,
      application_id: this.author.id,
    });
  }

  /** POST /users/@me/channels: one DM channel per person, as Discord returns the same one. */
  openDm(userId: string): Answer {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(userId, id);
    }
    const recipient = { id: userId, username: 'member', discriminator: '0', global_name: null, avatar: null };
    return [200, { id, type: 1, recipients: [recipient] }];
  }

  /** POST /channels/:id/messages, PATCH and DELETE /channels/:id/messages/:message. */
  channelMessage(method: string, channelId: string, messageId: string | undefined, body: Json): Answer {
    const known = channelId === this.homeChannelId || [...this.dmChannels.values()].includes(channelId);
    if (!known) return [404, { message: 'Unknown Channel', code: 10003 }];
    if (method === 'POST' && !messageId) {
      return invalid(messageProblems(body)) ?? [200, this.toApiMessage(this.store(channelId, body))];
    }
    const target = messageId ? this.messages.get(messageId) : undefined;
    if (!target || target.channelId !== channelId) return [404, { message: 'Unknown Message', code: 10008 }];
    if (method === 'DELETE') {
      this.messages.delete(target.id);
      return [204];
    }
    if (method !== 'PATCH') return [405, { message: '405: Method Not Allowed', code: 0 }];
    return this.patch(target, body);
  }

  patch(target: StoredMessage, body: Json): Answer {
    const problem = invalid(messageProblems(body, { partial: true }));
    if (problem) return problem;
    this.edit(target, body);
    return [200, this.toApiMessage(target)];
  }
}
