/**
 * The platform-neutral message model (re-exported by src/chat, where it is described). It is
 * defined here because the outbox stores messages, destinations and references as jsonb: rows
 * written by one version of copro are read by the next, so the stored shape lives with the table.
 */
import type { Platform } from './groups.js';

export type ButtonStyle = 'primary' | 'danger' | 'default';

export interface Button {
  /** Routes the click back to a feature, e.g. "poll.vote". */
  readonly actionId: string;
  readonly label: string;
  /** Opaque payload handed back with the click, e.g. "P7K2:1". */
  readonly value: string;
  readonly style?: ButtonStyle;
}

export interface SelectOption {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
}

export type Block =
  | { readonly type: 'heading'; readonly text: string }
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'fields';
      readonly fields: readonly { readonly label: string; readonly value: string }[];
    }
  | { readonly type: 'buttons'; readonly buttons: readonly Button[] }
  | {
      readonly type: 'select';
      readonly actionId: string;
      readonly placeholder: string;
      readonly options: readonly SelectOption[];
    }
  | { readonly type: 'divider' }
  | { readonly type: 'context'; readonly text: string };

/**
 * A file sent with a message: a calendar entry, a report, someone's own data. Text only (UTF-8):
 * everything copro makes is text, and a stored message stays readable JSON.
 */
export interface FileAttachment {
  /** The file's name as the person will save it, e.g. "meeting-K3F9.ics". */
  readonly name: string;
  /** e.g. "text/calendar", "text/csv", "application/json". */
  readonly mimeType: string;
  readonly content: string;
  /** Plain words on what it is, shown beside it, e.g. "Calendar entry for the March meeting". */
  readonly title?: string;
}

export interface Message {
  /** Plain-text fallback: read by screen readers and shown in notifications. Never empty. */
  readonly text: string;
  readonly blocks?: readonly Block[];
  /**
   * Sent with the message. Where a platform cannot attach a file to a private answer (Slack),
   * the adapter sends it to the person in a direct message and says so in the answer.
   */
  readonly files?: readonly FileAttachment[];
}

/** Where a message goes. */
export type Destination =
  | { readonly kind: 'channel'; readonly channelId: string; readonly workspaceId?: string }
  | { readonly kind: 'dm'; readonly userId: string; readonly workspaceId?: string }
  | { readonly kind: 'groupDm'; readonly userIds: readonly string[]; readonly workspaceId?: string };

/** A delivered message, stored so that it can be edited later (poll results, for example). */
export interface MessageRef {
  readonly platform: Platform;
  readonly channelId: string;
  readonly messageId: string;
}
