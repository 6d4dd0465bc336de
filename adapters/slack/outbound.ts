import { webApi } from '@slack/bolt';
import type { Destination, Message, MessageRef } from '../../src/chat/index.js';
import type { Logger } from '../../src/logger.js';
import { toDeliveryError } from './errors.js';
import { renderMessage } from './render.js';

export type SlackApi = InstanceType<typeof webApi.WebClient>;

/**
 * A Web API client that never retries by itself and rejects rate-limited calls at once: the
 * outbox owns retries, and a call inside a request handler must not sit waiting for minutes.
 */
export function createSlackApi(token: string, apiUrl: string | undefined, logger: Logger): SlackApi {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: withSlash(apiUrl) } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(logger),
  });
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Sending messages: the outbound half of the platform port. */
export function createOutbound(api: SlackApi) {
  // conversations.open is Tier 3; a DM channel never changes, so ask once per person or set.
  const dmChannels = new Map<string, string>();

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toDeliveryError(error, method);
    }
  }

  async function channelFor(to: Destination): Promise<string> {
    if (to.kind === 'channel') return to.channelId;
    const users = to.kind === 'dm' ? [to.userId] : [...to.userIds].sort();
    const key = `${to.workspaceId ?? ''}:${users.join(',')}`;
    const known = dmChannels.get(key);
    if (known) return known;
    const opened = await call('conversations.open', () => api.conversations.open({ users: users.join(',') }));
    const id = opened.channel?.id;
    if (!id) throw toDeliveryError(new Error('conversations.open gave no channel'), 'conversations.open');
    dmChannels.set(key, id);
    return id;
  }

  /** Post a message; one that is too big for one Slack message continues in the next ones. */
  async function post(to: Destination, message: Message): Promise<MessageRef> {
    const channel = await channelFor(to);
    let first: MessageRef | undefined;
    for (const page of renderMessage(message)) {
      const sent = await call('chat.postMessage', () =>
        api.chat.postMessage({ channel, text: page.text, blocks: page.blocks }),
      );
      first ??= { platform: 'slack', channelId: sent.channel ?? channel, messageId: sent.ts ?? '' };
    }
    return first as MessageRef;
  }

  /** Edit a message in place. If it has grown past one message, the rest follows in its thread. */
  async function update(ref: MessageRef, message: Message): Promise<void> {
    const [page, ...more] = renderMessage(message);
    if (!page) return;
    await call('chat.update', () =>
      api.chat.update({ channel: ref.channelId, ts: ref.messageId, text: page.text, blocks: page.blocks }),
    );
    for (const extra of more) {
      await call('chat.postMessage', () =>
        api.chat.postMessage({
          channel: ref.channelId,
          thread_ts: ref.messageId,
          text: extra.text,
          blocks: extra.blocks,
        }),
      );
    }
  }

  /** A private message in a channel; falls back to a DM where the bot cannot post (not invited). */
  async function postEphemeral(
    channelId: string | undefined,
    userId: string,
    message: Message,
  ): Promise<void> {
    if (channelId) {
      try {
        for (const page of renderMessage(message)) {
          await api.chat.postEphemeral({
            channel: channelId,
            user: userId,
            text: page.text,
            blocks: page.blocks,
          });
        }
        return;
      } catch {
        // Not in the channel, or the channel is gone: a DM still reaches the person.
      }
    }
    await post({ kind: 'dm', userId }, message);
  }

  return { post, update, postEphemeral };
}

/**
 * @slack/bolt, Socket Mode and the WebClient log through this. Their debug output is dropped:
 * it prints whole request bodies, which hold what members typed into forms.
 */
export function boltLogger(logger: Logger) {
  const log = logger.child({ component: 'slack' });
  let level = 'info' as webApi.LogLevel;
  return {
    debug: () => {},
    info: (...msg: unknown[]) => log.debug(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => log.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => log.error(msg.map(String).join(' ')),
    setLevel: (l: webApi.LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
