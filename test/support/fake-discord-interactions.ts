import {
  type APIInteraction,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import {
  type Answer,
  invalid,
  type Json,
  type MessageStore,
  type StoredMessage,
} from './fake-discord-messages.js';
import { messageProblems, modalProblems } from './fake-discord-validate.js';

export interface InteractionRecord {
  readonly payload: APIInteraction;
  readonly dispatchedAt: number;
  readonly callbacks: { type: InteractionResponseType; data: Json }[];
  original?: StoredMessage;
  readonly followups: StoredMessage[];
  modal?: APIModalInteractionResponseCallbackData;
}

const R = InteractionResponseType;

/**
 * The interaction lifecycle as Discord enforces it: one first answer, within the window; the
 * answer types allowed for each kind of interaction; then edits of @original and follow-ups
 * through the interaction's webhook, which a modal answer does not open.
 */
export class FakeInteractions {
  readonly records = new Map<string, InteractionRecord>();

  constructor(
    private readonly messages: MessageStore,
    private readonly windowMs: number,
  ) {}

  dispatched(payload: APIInteraction): InteractionRecord {
    const record: InteractionRecord = { payload, dispatchedAt: Date.now(), callbacks: [], followups: [] };
    this.records.set(payload.id, record);
    return record;
  }

  /** Every message an interaction produced that a person can see: its reply and follow-ups. */
  visible(record: InteractionRecord): StoredMessage[] {
    return [record.original, ...record.followups].filter((m): m is StoredMessage => !!m && !m.deferred);
  }

  /** POST /interactions/:id/:token/callback */
  callback(id: string, token: string, body: Json): Answer {
    const record = this.records.get(id);
    if (!record || record.payload.token !== token || Date.now() - record.dispatchedAt > this.windowMs) {
      return [404, { message: 'Unknown interaction', code: 10062 }];
    }
    if (record.callbacks.length > 0) {
      return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
    }
    const type: InteractionResponseType = body.type;
    const fromMessage = record.payload.message;
    const allowed: Record<number, boolean> = {
      [R.ChannelMessageWithSource]: true,
      [R.DeferredChannelMessageWithSource]: true,
      [R.DeferredMessageUpdate]: !!fromMessage,
      [R.UpdateMessage]: !!fromMessage,
      [R.Modal]: record.payload.type !== InteractionType.ModalSubmit,
    };
    const problems =
      type === R.Modal
        ? modalProblems(body.data)
        : type === R.ChannelMessageWithSource || type === R.UpdateMessage
          ? messageProblems(body.data, { partial: type === R.UpdateMessage })
          : [];
    if (!allowed[type]) problems.push(`type: ${type} is not valid for this interaction`);
    const problem = invalid(problems);
    if (problem) return problem;

    record.callbacks.push({ type, data: body.data });
    const channelId = record.payload.channel_id!;
    if (type === R.ChannelMessageWithSource) {
      record.original = this.messages.store(channelId, body.data, id);
    } else if (type === R.DeferredChannelMessageWithSource) {
      record.original = this.messages.store(channelId, { content: '', flags: body.data?.flags }, id);
      record.original.deferred = true;
    } else if (type === R.UpdateMessage || type === R.DeferredMessageUpdate) {
      record.original = this.messages.messages.get(fromMessage!.id);
      if (type === R.UpdateMessage && record.original) this.messages.edit(record.original, body.data);
    } else if (type === R.Modal) {
      record.modal = body.data;
    }
    return [204];
  }

  /** POST /webhooks/:app/:token (follow-up); GET, PATCH, DELETE /webhooks/:app/:token/messages/:id */
  webhook(method: string, token: string, rest: string[], body: Json): Answer {
    const record = [...this.records.values()].find((r) => r.payload.token === token);
    // A modal as the first answer leaves nothing to follow up or edit.
    const first = record?.callbacks[0]?.type;
    if (!record || first === undefined || first === R.Modal) {
      return [404, { message: 'Unknown Webhook', code: 10015 }];
    }
    if (rest.length === 0 && method === 'POST') {
      const problem = invalid(messageProblems(body));
      if (problem) return problem;
      const message = this.messages.store(record.payload.channel_id!, body, record.payload.id);
      record.followups.push(message);
      return [200, this.messages.toApiMessage(message)];
    }
    const messageId = rest[1];
    const target = messageId === '@original' ? record.original : this.messages.messages.get(messageId ?? '');
    if (rest[0] !== 'messages' || !target) return [404, { message: 'Unknown Message', code: 10008 }];
    if (method === 'GET') return [200, this.messages.toApiMessage(target)];
    if (method === 'DELETE') {
      this.messages.messages.delete(target.id);
      return [204];
    }
    return this.messages.patch(target, body);
  }
}
