/**
 * Platform-neutral message model. Adapters render it; the core never sees Block Kit or embeds.
 *
 * Text blocks use a small markdown subset that every adapter understands:
 *   **bold**, _italic_, [label](https://url), lines starting with "- " (lists),
 *   and mentions written as <@userId> (the platform's own user id).
 */
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

export interface Message {
  /** Plain-text fallback: read by screen readers and shown in notifications. Never empty. */
  readonly text: string;
  readonly blocks?: readonly Block[];
}

/** Where a message goes. */
export type Destination =
  | { readonly kind: 'channel'; readonly channelId: string; readonly workspaceId?: string }
  | { readonly kind: 'dm'; readonly userId: string; readonly workspaceId?: string }
  | { readonly kind: 'groupDm'; readonly userIds: readonly string[]; readonly workspaceId?: string };

/** A delivered message, stored so that it can be edited later (poll results, for example). */
export interface MessageRef {
  readonly platform: PlatformKind;
  readonly channelId: string;
  readonly messageId: string;
}

export type PlatformKind = 'slack' | 'discord' | 'console';

/** A message made only of text: the common case for short answers. */
export function textMessage(text: string): Message {
  return { text, blocks: [{ type: 'text', text }] };
}

/** The text of the markdown subset without its bold markers: for plain-text fallbacks. */
export function withoutBold(text: string): string {
  return text.replace(/\*\*/g, '');
}
