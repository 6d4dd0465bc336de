import type { Block, Button, Form, Message } from '../../src/chat/index.js';

/** Turn the neutral markdown into plain terminal text. */
export function plain(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/<@([^>|]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<#([^>|]+)(?:\|[^>]*)?>/g, '#$1')
    .replace(/`/g, '');
}

export interface Rendered {
  readonly lines: string[];
  /** Buttons and select options in the order they were numbered, for /click N. */
  readonly choices: { actionId: string; value: string; label: string }[];
}

export function renderMessage(message: Message): Rendered {
  const lines: string[] = [];
  const choices: Rendered['choices'] = [];
  const blocks: readonly Block[] = message.blocks ?? [{ type: 'text', text: message.text }];
  const pushChoice = (c: Pick<Button, 'actionId' | 'value' | 'label'>) => {
    choices.push({ actionId: c.actionId, value: c.value, label: c.label });
    return `[${choices.length}] ${c.label}`;
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        lines.push(`== ${plain(block.text)} ==`);
        break;
      case 'text':
        lines.push(...plain(block.text).split('\n'));
        break;
      case 'context':
        lines.push(
          ...plain(block.text)
            .split('\n')
            .map((l) => `  ${l}`),
        );
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${plain(f.label)}: ${plain(f.value)}`);
        break;
      case 'divider':
        lines.push('----');
        break;
      case 'buttons':
        lines.push(block.buttons.map(pushChoice).join('   '));
        break;
      case 'select':
        lines.push(`${block.placeholder}:`);
        for (const o of block.options)
          lines.push(`  ${pushChoice({ actionId: block.actionId, value: o.value, label: o.label })}`);
        break;
    }
  }
  if (choices.length > 0) lines.push('(To choose, type /click and the number, e.g. /click 1)');
  return { lines, choices };
}

export function renderFormIntro(form: Form): string[] {
  return [
    `== ${form.title} ==`,
    'Answer each question on its own line. Where there are choices, type the number or the name of one.',
    'Type /skip to leave an optional answer empty, or /cancel to close the form without saving.',
  ];
}
