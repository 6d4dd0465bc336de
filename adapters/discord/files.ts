import type { RawFile } from 'discord.js';
import { type FileAttachment, literal, textMessage } from '../../src/chat/index.js';
import { type DiscordMessage, renderMessage } from './render.js';

/** Discord takes at most 10 attachments on one message. */
const PER_MESSAGE = 10;

export interface FilePost {
  readonly body: DiscordMessage & { readonly attachments: readonly { id: number; filename: string }[] };
  readonly files: RawFile[];
}

/**
 * The files of a copro message, as Discord messages of their own that follow its text. Each says
 * in words what it carries, so a screen reader announces more than a file name.
 */
export function filePosts(files: readonly FileAttachment[] | undefined): FilePost[] {
  const posts: FilePost[] = [];
  for (let i = 0; i < (files?.length ?? 0); i += PER_MESSAGE) {
    const batch = files!.slice(i, i + PER_MESSAGE);
    const lines = batch.map((f) => `Attached: ${literal(f.title ?? f.name)} (${literal(f.name)})`);
    const [page] = renderMessage(textMessage(lines.join('\n')));
    posts.push({
      body: { ...page!, attachments: batch.map((f, id) => ({ id, filename: f.name })) },
      files: batch.map((f) => ({
        name: f.name,
        data: Buffer.from(f.content, 'utf8'),
        contentType: f.mimeType,
      })),
    });
  }
  return posts;
}
