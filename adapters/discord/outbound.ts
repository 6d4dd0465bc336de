import { type APIChannel, type APIMessage, type REST, Routes } from 'discord.js';
import type { Destination, Message, MessageRef } from '../../src/chat/index.js';
import type { Logger } from '../../src/logger.js';
import { delivering } from './errors.js';
import { filePosts } from './files.js';
import { ALLOWED_MENTIONS, renderMessage } from './render.js';

/** What an earlier part of a message that has since shrunk says, so its id stays editable. */
const SHRUNK = '(See the message above.)';

/**
 * Posting and editing outside an interaction: what the outbox and background jobs send.
 *
 * A MessageRef names every Discord message a copro message became. `messageId` is a list of
 * parts separated by commas; a part is a message id in `channelId`, or `channel/message` when it
 * lives elsewhere (the copies of a "group DM", which a bot cannot create on Discord: each person
 * gets the same message in their own DM instead).
 */
export function createOutbound(rest: REST, logger: Logger) {
  const dmChannels = new Map<string, string>();

  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const channel = (await delivering(() =>
      rest.post(Routes.userChannels(), { body: { recipient_id: userId } }),
    )) as APIChannel;
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async function channelsFor(to: Destination): Promise<string[]> {
    switch (to.kind) {
      case 'channel':
        return [to.channelId];
      case 'dm':
        return [await dmChannel(to.userId)];
      case 'groupDm': {
        const channels: string[] = [];
        for (const userId of new Set(to.userIds)) channels.push(await dmChannel(userId));
        return channels;
      }
    }
  }

  async function post(to: Destination, message: Message): Promise<MessageRef> {
    const pages = renderMessage(message, to.kind === 'channel' ? undefined : to.workspaceId);
    const channels = await channelsFor(to);
    const parts: string[] = [];
    for (const channelId of channels) {
      for (const page of pages) {
        const sent = (await delivering(() =>
          rest.post(Routes.channelMessages(channelId), { body: page }),
        )) as APIMessage;
        parts.push(channelId === channels[0] ? sent.id : `${channelId}/${sent.id}`);
      }
      await postFiles(channelId, message);
    }
    return { platform: 'discord', channelId: channels[0]!, messageId: parts.join(',') };
  }

  async function update(ref: MessageRef, message: Message): Promise<void> {
    const pages = renderMessage(message);
    const byChannel = new Map<string, string[]>();
    for (const part of ref.messageId.split(',')) {
      const [channelId, messageId] = part.includes('/') ? part.split('/') : [ref.channelId, part];
      byChannel.set(channelId!, [...(byChannel.get(channelId!) ?? []), messageId!]);
    }
    for (const [channelId, ids] of byChannel) {
      for (const [index, id] of ids.entries()) {
        const body = pages[index] ?? { content: SHRUNK, components: [], allowed_mentions: ALLOWED_MENTIONS };
        await delivering(() => rest.patch(Routes.channelMessage(channelId, id), { body }));
      }
      if (pages.length > ids.length) {
        // The message grew past the parts it was posted as: the rest follows as new messages,
        // which later updates of this ref cannot reach.
        logger.warn(
          { channelId, parts: ids.length, needed: pages.length },
          'an updated message grew; posting the rest',
        );
        for (const page of pages.slice(ids.length)) {
          await delivering(() => rest.post(Routes.channelMessages(channelId), { body: page }));
        }
      }
      // An edit cannot attach a file: new files follow the message.
      await postFiles(channelId, message);
    }
  }

  /** Files follow the text as messages of their own, which later edits leave alone. */
  async function postFiles(channelId: string, message: Message): Promise<void> {
    for (const { body, files } of filePosts(message.files)) {
      await delivering(() => rest.post(Routes.channelMessages(channelId), { body, files }));
    }
  }

  return { post, update };
}
