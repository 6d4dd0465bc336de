import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../adapters/discord/custom-id.js';
import { FormSessions, modalFor } from '../../adapters/discord/forms.js';
import { renderMessage } from '../../adapters/discord/render.js';
import type { Block, Form, FormField, Message } from '../../src/chat/index.js';
import { messageProblems, modalProblems } from '../support/fake-discord-validate.js';

// Words, line breaks and paragraph breaks, sometimes far longer than one Discord message.
// `size: 'max'` makes fast-check use the whole range, not only short arrays.
const prose = (maxWords: number, minWords = 0) =>
  fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\n\n', '- ', '**'),
      ),
      {
        minLength: minWords,
        maxLength: maxWords,
        size: 'max',
      },
    )
    .map((parts) => parts.join(' '));
const shortText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 });
const id = fc.stringMatching(/^[a-z][a-z0-9.]{0,20}$/);
const value = fc.string({ minLength: 1, maxLength: 60 }).filter((v) => !v.includes(','));

const block: fc.Arbitrary<Block> = fc.oneof(
  shortText.map((text) => ({ type: 'heading' as const, text })),
  fc.oneof(prose(40), prose(900, 200)).map((text) => ({ type: 'text' as const, text })),
  fc
    .array(fc.record({ label: shortText, value: shortText }), { minLength: 1, maxLength: 12 })
    .map((fields) => ({ type: 'fields' as const, fields })),
  fc
    .array(
      fc.record({
        actionId: id,
        label: shortText,
        value,
        style: fc.constantFrom('primary', 'danger', 'default'),
      }),
      { minLength: 1, maxLength: 30, size: 'max' },
    )
    .map((buttons) => ({ type: 'buttons' as const, buttons })),
  fc
    .record({
      actionId: id,
      placeholder: shortText,
      options: fc.uniqueArray(
        fc.record({ label: shortText, value: fc.string({ minLength: 1, maxLength: 100 }) }),
        {
          minLength: 1,
          maxLength: 60,
          size: 'max',
          selector: (o) => o.value,
        },
      ),
    })
    .map((select) => ({ type: 'select' as const, ...select })),
  fc.constant({ type: 'divider' as const }),
  prose(30).map((text) => ({ type: 'context' as const, text })),
);
const message: fc.Arbitrary<Message> = fc.record(
  { text: fc.oneof(shortText, prose(800, 300)), blocks: fc.array(block, { maxLength: 12 }) },
  { requiredKeys: ['text'] },
);

const visible = (s: string) => s.replace(/\s/g, '');
function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (let i = 0; i < haystack.length && at < needle.length; i++) if (haystack[i] === needle[at]) at++;
  return at === needle.length;
}
function readable(m: Message): string {
  const parts = (m.blocks ?? []).flatMap((b) => {
    if (b.type === 'heading' || b.type === 'text' || b.type === 'context') return [b.text];
    if (b.type === 'fields') return b.fields.flatMap((f) => [f.label, f.value]);
    return [];
  });
  return visible(parts.join('')) === '' ? m.text : parts.join('');
}

const stats = { runs: 0, split: 0 };

describe('rendering a Message for Discord (property)', () => {
  it("always fits Discord's limits, loses no text, and keeps every control, in order", () => {
    fc.assert(
      fc.property(message, (m) => {
        const pages = renderMessage(m);
        stats.runs++;
        if (pages.length > 1) stats.split++;
        for (const page of pages) {
          expect(messageProblems(page)).toEqual([]);
          expect(page).not.toHaveProperty('embeds');
        }
        const content = pages.map((p) => p.content).join('');
        expect(isSubsequence(visible(readable(m)), visible(content))).toBe(true);

        const components = pages.flatMap((p) => p.components.flatMap((r) => r.components));
        const wantedButtons = (m.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
        const buttons = components.filter((c) => c.type === 2) as { custom_id: string; label: string }[];
        expect(buttons.map((b) => decodeCustomId(b.custom_id))).toEqual(
          wantedButtons.map((b) => ({ actionId: b.actionId, value: b.value })),
        );
        const wantedOptions = (m.blocks ?? []).flatMap((b) =>
          b.type === 'select' ? b.options.map((o) => o.value) : [],
        );
        const options = components.flatMap((c) => (c.type === 3 ? c.options.map((o) => o.value) : []));
        expect(options).toEqual(wantedOptions);
      }),
      { numRuns: 300 },
    );
    // The property only means something if many runs did not fit in one message.
    expect(stats.split).toBeGreaterThan(stats.runs / 10);
  });
});

const field: fc.Arbitrary<FormField> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('short' as const, 'paragraph' as const),
    id: id,
    label: shortText,
    required: fc.boolean(),
    maxLength: fc.integer({ min: 1, max: 10_000 }),
    hint: fc.option(shortText, { nil: undefined }),
    initial: fc.option(fc.string({ maxLength: 5000 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constantFrom('select' as const, 'checkboxes' as const),
    id: id,
    label: shortText,
    required: fc.boolean(),
    options: fc.uniqueArray(
      fc.record({ label: shortText, value: fc.string({ minLength: 1, maxLength: 100 }) }),
      {
        minLength: 1,
        maxLength: 60,
        size: 'max',
        selector: (o) => o.value,
      },
    ),
  }),
);
const form: fc.Arbitrary<Form> = fc.record({
  id: id,
  title: shortText,
  submitLabel: shortText,
  fields: fc.uniqueArray(field, { minLength: 1, maxLength: 14, size: 'max', selector: (f) => f.id }),
});

describe('rendering a Form as Discord modals (property)', () => {
  it("asks every question on exactly one page, each page within Discord's modal limits", () => {
    let paged = 0;
    fc.assert(
      fc.property(form, (f) => {
        const session = new FormSessions().open(f, 'U1');
        if (session.pages.length > 1) paged++;
        const asked: string[] = [];
        session.pages.forEach((_, page) => {
          const modal = modalFor(session, page);
          expect(modalProblems(modal)).toEqual([]);
          for (const label of modal.components) {
            if ('component' in label) asked.push(label.component.custom_id.replace(/~\d+$/, ''));
          }
        });
        expect([...new Set(asked)]).toEqual(f.fields.map((x) => x.id));
      }),
      { numRuns: 200 },
    );
    expect(paged).toBeGreaterThan(20);
  });
});

describe('rendering, by example', () => {
  it('uses Discord markdown: headings, bold labels, quieter context lines, mentions as they are', () => {
    const [page] = renderMessage({
      text: 'fallback',
      blocks: [
        { type: 'heading', text: 'Roles in the group' },
        { type: 'text', text: '**researcher**: reads drafts\nHeld by: <@123>' },
        { type: 'divider' },
        { type: 'fields', fields: [{ label: 'When', value: 'Tuesday 2pm' }] },
        { type: 'context', text: 'Coordinators can change roles.' },
      ],
    });
    expect(page!.content).toBe(
      '## Roles in the group\n\n**researcher**: reads drafts\nHeld by: <@123>\n\n**When:** Tuesday 2pm\n\n-# Coordinators can change roles.',
    );
  });

  it('uses the plain-text fallback when a message has only controls', () => {
    const [page] = renderMessage({
      text: 'Vote in the poll',
      blocks: [{ type: 'buttons', buttons: [{ actionId: 'poll.vote', label: 'Yes', value: 'P1:0' }] }],
    });
    expect(page!.content).toBe('Vote in the poll');
    expect(page!.components).toHaveLength(1);
  });

  it('uses the plain-text fallback, not a bare "##", when the only heading is blank', () => {
    const [page] = renderMessage({ text: 'Poll closed.', blocks: [{ type: 'heading', text: ' ' }] });
    expect(page?.content).toBe('Poll closed.');
  });

  it('shortens a long button label with a visible ellipsis (the full wording is in the text)', () => {
    const label = 'A very long poll answer that goes on and on well past what a Discord button can show';
    const [page] = renderMessage({
      text: label,
      blocks: [{ type: 'buttons', buttons: [{ actionId: 'poll.vote', label, value: 'P1:0' }] }],
    });
    const button = page!.components[0]!.components[0] as { label: string };
    expect(button.label).toHaveLength(80);
    expect(button.label.endsWith('…')).toBe(true);
    expect(page!.content).toBe(label);
  });

  it('refuses, loudly, a button value too long to come back from Discord', () => {
    expect(() =>
      renderMessage({
        text: 'x',
        blocks: [{ type: 'buttons', buttons: [{ actionId: 'a', label: 'b', value: 'v'.repeat(100) }] }],
      }),
    ).toThrow(/too long for Discord/);
  });
});
