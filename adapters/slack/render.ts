import type { types } from '@slack/bolt';
import {
  type Block,
  type Button,
  type Message,
  type SelectOption,
  unescapeMarkdown,
} from '../../src/chat/index.js';
import { LIMITS, RenderError } from './limits.js';
import { shorten, splitText, toMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;
type PlainTextOption = types.PlainTextOption;

/** One Slack message: Block Kit blocks plus the text that notifications and screen readers use. */
export interface SlackPage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/**
 * Action ids must be unique within a block, but copro gives every button of a poll the same
 * action id ("poll.vote"). Each control gets a suffix that inbound.ts strips again.
 */
const ACTION_SEPARATOR = '~';

export function encodeActionId(actionId: string, index: number): string {
  const encoded = `${actionId}${ACTION_SEPARATOR}${index}`;
  if (encoded.length > LIMITS.actionId) throw new RenderError(`action id too long for Slack: ${actionId}`);
  return encoded;
}

export function decodeActionId(encoded: string): string {
  const at = encoded.lastIndexOf(ACTION_SEPARATOR);
  return at > 0 && /^\d+$/.test(encoded.slice(at + 1)) ? encoded.slice(0, at) : encoded;
}

/**
 * Render a message as one or more Slack messages. Whatever does not fit one message is split
 * over the next ones (in order), never cut off: long text is split at paragraph, line or word
 * boundaries, long lists of buttons over several action rows, long selects into option groups.
 */
export function renderMessage(message: Message): SlackPage[] {
  const blocks = renderBlocks(message);
  const pages = chunk(blocks, LIMITS.messageBlocks);
  const text = fallbackText(message);
  if (pages.length <= 1) return [{ text, blocks: pages[0] ?? [] }];
  return pages.map((page, i) => ({
    text: i === 0 ? text : `${firstLine(text)} (part ${i + 1} of ${pages.length})`,
    blocks: page,
  }));
}

/** The App Home view. It holds up to 100 blocks; anything beyond says so rather than vanish. */
export function renderHome(message: Message): types.HomeView {
  const blocks = renderBlocks(message);
  if (blocks.length <= LIMITS.viewBlocks) return { type: 'home', blocks };
  const shown = blocks.slice(0, LIMITS.viewBlocks - 1);
  shown.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'There is more than fits on this page. Type `/copro help` in your group’s channel to see everything.',
      },
    ],
  });
  return { type: 'home', blocks: shown };
}

/** Every block, within the per-block limits; the message-level limit is applied by the caller. */
export function renderBlocks(message: Message): KnownBlock[] {
  const source: readonly Block[] =
    message.blocks && message.blocks.length > 0 ? message.blocks : [{ type: 'text', text: message.text }];
  const out: KnownBlock[] = [];
  const counter = { next: 0 };
  for (const block of source) out.push(...renderBlock(block, counter));
  return out;
}

function renderBlock(block: Block, counter: { next: number }): KnownBlock[] {
  switch (block.type) {
    case 'heading': {
      if (!block.text.trim()) return [];
      // A header is plain text: Slack shows it as written, so escapes are undone rather than kept.
      const plain = unescapeMarkdown(block.text);
      if (plain.length <= LIMITS.headerText) {
        return [{ type: 'header', text: { type: 'plain_text', text: plain, emoji: true } }];
      }
      // Too long for a header: keep every word as bold section text instead.
      return sections(`**${block.text.replace(/\*\*/g, '')}**`);
    }
    case 'text':
      return sections(block.text);
    case 'context':
      return splitText(toMrkdwn(block.text), LIMITS.contextText)
        .filter((t) => t.trim())
        .map((text) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] }));
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields':
      return fieldBlocks(block.fields);
    case 'buttons':
      return chunk(block.buttons, LIMITS.actionsElements).map((row) => ({
        type: 'actions',
        elements: row.map((b) => button(b, counter.next++)),
      }));
    case 'select':
      return selectBlocks(block.actionId, block.placeholder, block.options, counter);
  }
}

function sections(markdown: string): KnownBlock[] {
  return splitText(toMrkdwn(markdown), LIMITS.sectionText)
    .filter((t) => t.trim())
    .map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function fieldBlocks(fields: readonly { label: string; value: string }[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let row: types.MrkdwnElement[] = [];
  const flush = () => {
    if (row.length > 0) out.push({ type: 'section', fields: row });
    row = [];
  };
  for (const f of fields) {
    const label = f.label.trim() ? `*${toMrkdwn(f.label)}*` : '';
    const text = [label, toMrkdwn(f.value)].filter((s) => s.trim()).join('\n');
    if (!text) continue;
    if (text.length > LIMITS.fieldText) {
      // A field this long reads better as its own paragraph than squeezed into a column.
      flush();
      out.push(...sections(`**${f.label}**\n${f.value}`));
      continue;
    }
    row.push({ type: 'mrkdwn', text });
    if (row.length === LIMITS.fields) flush();
  }
  flush();
  return out;
}

function button(b: Button, index: number): types.Button {
  if (b.value.length > LIMITS.buttonValue)
    throw new RenderError(`button value too long for Slack (${b.actionId})`);
  return {
    type: 'button',
    action_id: encodeActionId(b.actionId, index),
    text: { type: 'plain_text', text: shorten(b.label || ' ', LIMITS.buttonText), emoji: true },
    value: b.value,
    ...(b.style && b.style !== 'default' ? { style: b.style } : {}),
  };
}

function selectBlocks(
  actionId: string,
  placeholder: string,
  options: readonly SelectOption[],
  counter: { next: number },
): KnownBlock[] {
  if (options.length === 0) return [];
  // One select holds 100 groups of 100 options; past that, more selects, 25 to an actions row.
  const perSelect = LIMITS.selectOptions * LIMITS.optionGroups;
  const selects = chunk(options, perSelect).map((part, i, all): types.StaticSelect => {
    const label =
      all.length > 1 ? `${placeholder} (${i * perSelect + 1}–${i * perSelect + part.length})` : placeholder;
    return {
      type: 'static_select',
      action_id: encodeActionId(actionId, counter.next++),
      placeholder: { type: 'plain_text', text: shorten(label || 'Choose', LIMITS.placeholder), emoji: true },
      ...optionList(part, i * perSelect),
    };
  });
  return chunk(selects, LIMITS.actionsElements).map((row) => ({ type: 'actions', elements: row }));
}

/** Options, or option groups ("1–100", "101–200"...) when there are more than one select shows. */
export function optionList(
  options: readonly SelectOption[],
  offset = 0,
):
  | { options: PlainTextOption[] }
  | { option_groups: { label: types.PlainTextElement; options: PlainTextOption[] }[] } {
  const rendered = options.map(option);
  if (rendered.length <= LIMITS.selectOptions) return { options: rendered };
  return {
    option_groups: chunk(rendered, LIMITS.selectOptions).map((group, g) => {
      const first = offset + g * LIMITS.selectOptions + 1;
      return {
        label: { type: 'plain_text', text: `${first}–${first + group.length - 1}` },
        options: group,
      };
    }),
  };
}

export function option(o: SelectOption): PlainTextOption {
  if (o.value.length === 0 || o.value.length > LIMITS.optionValue) {
    throw new RenderError(
      `option value must be 1 to ${LIMITS.optionValue} characters: "${o.value.slice(0, 40)}"`,
    );
  }
  return {
    text: { type: 'plain_text', text: shorten(o.label || o.value, LIMITS.optionText), emoji: true },
    value: o.value,
    ...(o.description
      ? { description: { type: 'plain_text', text: shorten(o.description, LIMITS.optionText) } }
      : {}),
  };
}

/** The notification text: never empty, and short enough that Slack shows it whole. */
function fallbackText(message: Message): string {
  // Slack reads the fallback as mrkdwn too: "2 < 3" must be escaped like any other text.
  const text = toMrkdwn(message.text.trim() ? message.text : firstText(message) || 'copro');
  return text.length <= LIMITS.fallbackText ? text : `${splitText(text, LIMITS.fallbackText - 1)[0]}…`;
}

function firstText(message: Message): string {
  for (const b of message.blocks ?? []) {
    if ((b.type === 'heading' || b.type === 'text' || b.type === 'context') && b.text.trim()) return b.text;
  }
  return '';
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length <= 200 ? line : `${splitText(line, 199)[0]}…`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
