import {
  AllowedMentionsTypes,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Block, Button, Message, SelectOption } from '../../src/chat/index.js';
import { encodeCustomId } from './custom-id.js';
import { clip, LIMITS } from './limits.js';
import { splitText } from './split.js';

export type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One Discord message body. A copro Message becomes one or more of these. */
export interface DiscordMessage {
  readonly content: string;
  readonly components: Row[];
  readonly allowed_mentions: APIAllowedMentions;
}

/**
 * Mentions notify the people named, but member-written text (a poll question, an agenda item)
 * can never ping @everyone, @here or a whole role.
 */
export const ALLOWED_MENTIONS: APIAllowedMentions = { parse: [AllowedMentionsTypes.User] };

const CONTINUED = '(continued)';

interface Draft {
  readonly parts: string[];
  readonly rows: Row[];
}

/**
 * Renders a Message as Discord messages. Everything readable goes into `content` (Discord
 * markdown), not embeds: notifications and screen readers read content first. What does not fit
 * in one message (2,000 characters, 5 rows of components) continues in the next one, in order.
 * `scope` is the server a direct message's controls belong to (see custom-id.ts).
 */
export function renderMessage(message: Message, scope?: string): DiscordMessage[] {
  const drafts: Draft[] = [{ parts: [], rows: [] }];
  const current = () => drafts[drafts.length - 1]!;
  let position = 0;
  const addRow = (row: Row) => {
    if (current().rows.length === LIMITS.rowsPerMessage) drafts.push({ parts: [], rows: [] });
    current().rows.push(row);
  };

  const blocks = message.blocks ?? [{ type: 'text', text: message.text }];
  for (const block of blocks) {
    const markdown = blockMarkdown(block);
    if (markdown !== undefined) {
      if (markdown.trim() !== '') current().parts.push(markdown);
    } else if (block.type === 'buttons') {
      for (let i = 0; i < block.buttons.length; i += LIMITS.buttonsPerRow) {
        const slice = block.buttons.slice(i, i + LIMITS.buttonsPerRow);
        addRow({ type: ComponentType.ActionRow, components: slice.map((b) => button(b, position++, scope)) });
      }
    } else if (block.type === 'select') {
      const parts = Math.ceil(block.options.length / LIMITS.selectOptions);
      for (let part = 0; part < parts; part++) {
        const options = block.options.slice(part * LIMITS.selectOptions, (part + 1) * LIMITS.selectOptions);
        const placeholder = parts > 1 ? `${block.placeholder} (${part + 1} of ${parts})` : block.placeholder;
        addRow(select(block.actionId, position++, placeholder, options, scope));
      }
    }
  }

  const pages: DiscordMessage[] = [];
  drafts.forEach((draft, index) => {
    const text = draft.parts.join('\n\n');
    const fallback = index === 0 ? message.text.trim() || CONTINUED : CONTINUED;
    const pieces = splitText(text.trim() === '' ? fallback : text, LIMITS.content);
    pieces.forEach((content, i) => {
      const last = i === pieces.length - 1;
      pages.push({ content, components: last ? draft.rows : [], allowed_mentions: ALLOWED_MENTIONS });
    });
  });
  return pages;
}

/** Markdown for a readable block; undefined for blocks that become components. */
function blockMarkdown(block: Block): string | undefined {
  switch (block.type) {
    case 'heading':
      // A blank heading would show as a bare "##", and hide the message's own text behind it.
      return block.text.trim() === '' ? '' : `## ${block.text.replace(/\s*\n\s*/g, ' ')}`;
    case 'text':
      return block.text;
    case 'fields':
      return block.fields.map((f) => `**${f.label}:** ${f.value}`).join('\n');
    case 'context':
      // Discord's subtext: smaller, quieter lines, as Slack shows context.
      return block.text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `-# ${line}`)
        .join('\n');
    case 'divider':
      // Blocks are already separated by a blank line; a drawn rule would be read aloud as symbols.
      return '';
    default:
      return undefined;
  }
}

const BUTTON_STYLES = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
} as const;

function button(b: Button, position: number, scope?: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: BUTTON_STYLES[b.style ?? 'default'],
    label: clip(b.label.trim() || b.value || 'Choose', LIMITS.buttonLabel),
    custom_id: encodeCustomId(b.actionId, position, b.value, scope),
  };
}

function select(
  actionId: string,
  position: number,
  placeholder: string,
  options: readonly SelectOption[],
  scope?: string,
): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: encodeCustomId(actionId, position, '', scope),
        placeholder: clip(placeholder, LIMITS.selectPlaceholder),
        options: options.map((o) => selectOption(o)),
      },
    ],
  };
}

export function selectOption(o: SelectOption, selected?: boolean) {
  if (o.value.length > LIMITS.optionValue) {
    throw new RangeError(`Select option value "${o.value.slice(0, 20)}…" is too long for Discord.`);
  }
  return {
    label: clip(o.label.trim() || o.value, LIMITS.optionLabel),
    value: o.value,
    ...(o.description ? { description: clip(o.description, LIMITS.optionDescription) } : {}),
    ...(selected ? { default: true } : {}),
  };
}
