import { type Block, type Button, type Form, type Message, withEscapesAside } from '../../src/chat/index.js';

/**
 * Terminal control: escape sequences (ESC, and the one-byte CSI some terminals honour) could
 * clear the screen, move the cursor or fake a line copro never wrote. Newlines and tabs stay.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text safe to print: nothing a terminal would act on. Everything copro writes goes through it. */
export function printable(text: string): string {
  return text.replace(CONTROL, '');
}

/** Turn the neutral markdown into plain terminal text; escaped characters print as themselves. */
export function plain(text: string): string {
  return withEscapesAside(
    text,
    (markdown) =>
      markdown
        .replace(/\*\*(.+?)\*\*/g, '$1')
        .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
        .replace(/<@([^>|]+)(?:\|[^>]*)?>/g, '@$1')
        .replace(/<#([^>|]+)(?:\|[^>]*)?>/g, '#$1')
        .replace(/`/g, ''),
    (char) => char,
  );
}

export interface Rendered {
  readonly lines: string[];
  /** Buttons and select options in the order they were numbered, for /click N. */
  readonly choices: { actionId: string; value: string; label: string }[];
}

/** `first`: the number of the message's first choice, when it follows others still open. */
export function renderMessage(message: Message, first: number | 'unnumbered' = 1): Rendered {
  const lines: string[] = [];
  const choices: Rendered['choices'] = [];
  const blocks: readonly Block[] = message.blocks ?? [{ type: 'text', text: message.text }];
  const pushChoice = (c: Pick<Button, 'actionId' | 'value' | 'label'>) => {
    choices.push({ actionId: c.actionId, value: c.value, label: c.label });
    return first === 'unnumbered' ? `[${c.label}]` : `[${first + choices.length - 1}] ${c.label}`;
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        if (block.text.trim()) lines.push(`== ${plain(block.text)} ==`);
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
  if (choices.length > 0)
    lines.push(
      first === 'unnumbered'
        ? '(The numbers you were shown last still work with /click. To use these buttons, type /copro polls.)'
        : '(To choose, type /click and the number, e.g. /click 1)',
    );
  return { lines, choices };
}

export function renderFormIntro(form: Form): string[] {
  return [
    `== ${form.title} ==`,
    'Answer each question on its own line. Where there are choices, type the number or the name of one.',
    'Type /skip to leave out a question you need not answer, or /cancel to close the form and save nothing.',
  ];
}
