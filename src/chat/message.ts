/**
 * Platform-neutral message model. Adapters render it; the core never sees Block Kit or embeds.
 *
 * Text blocks use a small markdown subset that every adapter understands:
 *   **bold**, _italic_, [label](https://url), lines starting with "- " (lists),
 *   and mentions written as <@userId> (the platform's own user id). A backslash makes the ASCII
 *   punctuation after it literal; member-written text goes through `literal()` (markdown.ts).
 */
export type {
  Block,
  Button,
  ButtonStyle,
  Destination,
  FileAttachment,
  Message,
  MessageRef,
  SelectOption,
} from '../../db/schema/message.js';

import type { Platform } from '../../db/schema/groups.js';
import type { Button, Message } from '../../db/schema/message.js';

export type PlatformKind = Platform;

/** A message made only of text: the common case for short answers. */
export function textMessage(text: string): Message {
  return { text, blocks: [{ type: 'text', text }] };
}

/** Text with a row of buttons under it: a question to answer, or a change to undo. */
export function textWithButtons(text: string, buttons: readonly Button[]): Message {
  return {
    text,
    blocks: [
      { type: 'text', text },
      { type: 'buttons', buttons: [...buttons] },
    ],
  };
}

/** The text of the markdown subset without its bold markers: for plain-text fallbacks. */
export function withoutBold(text: string): string {
  return text.replace(/\*\*/g, '');
}
