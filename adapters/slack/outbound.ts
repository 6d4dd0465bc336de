import { webApi } from '@slack/bolt';
import type { Destination, FileAttachment, Message, MessageRef } from '../../src/chat/index.js';
import type { Logger } from '../../src/logger.js';
import { toDeliveryError } from './errors.js';
import { renderMessage } from './render.js';

export type SlackApi = InstanceType<typeof webApi.WebClient>;

/**
 * A Web API client that never retries by itself and rejects rate-limited calls at once: the
 * outbox owns retries, and a call inside a request handler must not sit waiting for minutes.
 */
export function createSlackApi(
  token: string,
  apiUrl: string | undefined,
  logger: Logger,
  fetch?: typeof globalThis.fetch,
): SlackApi {
  return new webApi.WebClient(token, {
    ...(fetch ? { fetch } : {}),
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
    if (message.files?.length) await upload(channel, message.files);
    return first as MessageRef;
  }

  /**
   * files.uploadV2 (the WebClient asks for an upload address, sends the bytes there, then shares
   * the file in the channel). One call per file, so a failure names the file that failed.
   */
  async function upload(channel: string, files: readonly FileAttachment[], threadTs?: string): Promise<void> {
    for (const file of files) {
      const what = { content: file.content, filename: file.name, title: file.title ?? file.name };
      await call('files.uploadV2', () =>
        threadTs
          ? api.files.uploadV2({ ...what, channel_id: channel, thread_ts: threadTs })
          : api.files.uploadV2({ ...what, channel_id: channel }),
      );
    }
  }

  /** Files for one person or place, without a message: the files of a private answer go to a DM. */
  async function sendFiles(to: Destination, files: readonly FileAttachment[]): Promise<void> {
    await upload(await channelFor(to), files);
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
    // An edit cannot attach a file: new files go in the message's thread.
    if (message.files?.length) await upload(ref.channelId, message.files, ref.messageId);
  }

  /** A private message in a channel; falls back to a DM where the bot cannot post (not invited). */
  async function postEphemeral(
    channelId: string | undefined,
    userId: string,
    message: Message,
  ): Promise<void> {
    if (channelId) {
      try {
        for (const page of renderMessage(withFileNote(message))) {
          await api.chat.postEphemeral({
            channel: channelId,
            user: userId,
            text: page.text,
            blocks: page.blocks,
          });
        }
      } catch {
        // Not in the channel, or the channel is gone: a DM still reaches the person.
        await post({ kind: 'dm', userId }, message);
        return;
      }
      if (message.files?.length) await sendFiles({ kind: 'dm', userId }, message.files);
      return;
    }
    await post({ kind: 'dm', userId }, message);
  }

  return { post, update, postEphemeral, sendFiles };
}

/**
 * Slack cannot attach a file to an answer only one person sees, so the file goes to the person's
 * DM with copro, and the answer says where it went.
 */
export function withFileNote(message: Message): Message {
  const count = message.files?.length ?? 0;
  if (count === 0) return message;
  const note =
    count === 1
      ? 'I have sent you the file in your direct messages with copro.'
      : `I have sent you the ${count} files in your direct messages with copro.`;
  return {
    ...message,
    text: `${message.text}\n${note}`,
    blocks: [...(message.blocks ?? []), { type: 'context', text: note }],
  };
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
