import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText, toMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { decodeActionId, renderHome, renderMessage } from '../../adapters/slack/render.js';
import { formValues, parseFormMetadata, renderForm } from '../../adapters/slack/render-form.js';
import type { Block, Form, Message } from '../../src/chat/index.js';
import { blockProblems } from '../support/fake-slack-blocks.js';

type Obj = Record<string, unknown>;

// The characters of /^[A-Za-z0-9&<>*_'.,!?-]{1,12}$/, drawn directly: stringMatching costs far more.
const wordChar = fc.constantFrom(
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&<>*_'.,!?-",
);
const word = fc.string({ unit: wordChar, minLength: 1, maxLength: 12 });
/** Words, line breaks and mentions; `minWords` forces the long texts that must be split. */
const prose = (maxWords: number, minWords = 1) =>
  fc
    .array(fc.oneof(word, word, word, fc.constant('\n'), fc.constant('\n\n'), fc.constant('<@U123ABC>')), {
      minLength: minWords,
      maxLength: maxWords,
    })
    .map((parts) => parts.join(' '));
const longProse = fc.oneof(prose(30), prose(2500, 800));
const value = fc.stringMatching(/^[A-Za-z0-9:_-]{1,40}$/);
const label = fc.oneof(fc.stringMatching(/^[A-Za-z ]{1,20}$/), fc.stringMatching(/^[A-Za-z ]{76,200}$/));

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ type: fc.constant('heading' as const), text: fc.oneof(prose(5), prose(80, 40)) }),
  fc.record({ type: fc.constant('text' as const), text: longProse }),
  fc.record({ type: fc.constant('context' as const), text: longProse }),
  fc.constant({ type: 'divider' as const }),
  fc.record({
    type: fc.constant('fields' as const),
    fields: fc.oneof(
      fc.array(fc.record({ label, value: prose(5) }), { maxLength: 4 }),
      fc.array(fc.record({ label, value: fc.oneof(prose(5), prose(500, 300)) }), {
        minLength: 11,
        maxLength: 30,
      }),
    ),
  }),
  fc.record({
    type: fc.constant('buttons' as const),
    buttons: fc.array(
      fc.record({
        actionId: fc.constant('poll.vote'),
        label,
        value,
        style: fc.constantFrom('primary' as const, 'danger' as const, 'default' as const),
      }),
      { minLength: 1, maxLength: 80 },
    ),
  }),
  fc.record({
    type: fc.constant('buttons' as const),
    buttons: fc.array(fc.record({ actionId: fc.constant('poll.vote'), label, value }), {
      minLength: 26,
      maxLength: 80,
    }),
  }),
  fc.record({
    type: fc.constant('select' as const),
    actionId: fc.constant('meeting.pick'),
    placeholder: label,
    options: fc.oneof(
      fc.array(fc.record({ label, value }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.record({ label, value }), { minLength: 101, maxLength: 260 }),
    ),
  }),
);

const message: fc.Arbitrary<Message> = fc.record({
  text: fc.oneof(prose(10), prose(3000, 1000)),
  blocks: fc.oneof(fc.array(block, { maxLength: 5 }), fc.array(block, { minLength: 40, maxLength: 70 })),
});

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Every word a member should be able to read in the rendered pages, in mrkdwn form. */
function renderedText(blocks: readonly Obj[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.text) parts.push((b.text as Obj).text as string);
    for (const f of (b.fields as Obj[] | undefined) ?? []) parts.push(f.text as string);
    if (b.type === 'context') for (const e of b.elements as Obj[]) parts.push(e.text as string);
  }
  return parts.join('\n');
}

describe('rendering a message for Slack', () => {
  it('stays inside every Block Kit limit, whatever the size of the message', () => {
    fc.assert(
      fc.property(message, (m) => {
        for (const page of renderMessage(m)) {
          expect(blockProblems(page.blocks, 'message')).toEqual([]);
          expect(page.text.trim().length).toBeGreaterThan(0);
          expect(page.text.length).toBeLessThanOrEqual(3000);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('keeps every word, button and option: long messages are split, never cut', () => {
    fc.assert(
      fc.property(message, (m) => {
        const pages = renderMessage(m);
        const blocks = pages.flatMap((p) => p.blocks) as unknown as Obj[];
        const shown = words(renderedText(blocks).replace(/[*•]/g, ' '));
        const expected = (m.blocks ?? [])
          .flatMap((b) => (b.type === 'text' || b.type === 'context' ? [b.text] : []))
          .flatMap((t) => words(toMrkdwn(t).replace(/[*•]/g, ' ')));
        const counts = new Map<string, number>();
        for (const w of shown) counts.set(w, (counts.get(w) ?? 0) + 1);
        // One assertion for all the words: an expect per word costs more than the rendering.
        const missing: string[] = [];
        for (const w of expected) {
          const left = counts.get(w) ?? 0;
          if (left > 0) counts.set(w, left - 1);
          else missing.push(w);
        }
        expect(missing, 'words that went missing').toEqual([]);

        const elements = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Obj[]) : []));
        const buttons = elements.filter((e) => e.type === 'button');
        const wantButtons = (m.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
        expect(buttons.map((b) => [decodeActionId(b.action_id as string), b.value])).toEqual(
          wantButtons.map((b) => [b.actionId, b.value]),
        );

        const options = elements
          .filter((e) => e.type === 'static_select')
          .flatMap(
            (e) =>
              (e.options as Obj[] | undefined) ??
              (e.option_groups as Obj[]).flatMap((g) => g.options as Obj[]),
          );
        const wantOptions = (m.blocks ?? []).flatMap((b) => (b.type === 'select' ? b.options : []));
        expect(options.map((o) => o.value)).toEqual(wantOptions.map((o) => o.value));
      }),
      { numRuns: 15 },
    );
  });

  it('splits a message of many items over several messages of at most 50 blocks', () => {
    const items: Block[] = Array.from({ length: 130 }, (_, i) => ({ type: 'text', text: `Item ${i + 1}` }));
    const pages = renderMessage({ text: 'A long list', blocks: items });
    expect(pages.map((p) => p.blocks.length)).toEqual([50, 50, 30]);
    expect(pages[0]?.text).toBe('A long list');
    expect(pages[2]?.text).toBe('A long list (part 3 of 3)');
  });

  it('writes bold, links, lists and mentions in Slack mrkdwn and escapes the rest', () => {
    const [page] = renderMessage({
      text: 'fallback',
      blocks: [
        { type: 'text', text: '**Hello** <@U1> & [the leaflet](https://example.org/a?b=1)\n- one\n- 2 < 3' },
      ],
    });
    expect(page?.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Hello* <@U1> &amp; <https://example.org/a?b=1|the leaflet>\n• one\n• 2 &lt; 3',
      },
    });
  });

  it('escapes the notification text too, keeping mentions', () => {
    const [page] = renderMessage({ text: '**Vote**: is 2 < 3 & 4 > 1, <@U1>?' });
    expect(page?.text).toBe('*Vote*: is 2 &lt; 3 &amp; 4 &gt; 1, <@U1>?');
  });

  it('uses the text as the only block when a message has no blocks', () => {
    const [page] = renderMessage({ text: 'Just words' });
    expect(page).toEqual({
      text: 'Just words',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Just words' } }],
    });
  });

  it('never cuts a mention or an escaped character in two', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('<@U12345>', '&', 'word', ' ', '\n'), { maxLength: 2000 }),
        (parts) => {
          const text = toMrkdwn(parts.join(''));
          for (const piece of splitText(text, 300)) {
            expect(piece.length).toBeLessThanOrEqual(300);
            expect(piece).not.toMatch(/<@U?\d*$|^U?\d*>|&a?m?p?$|^m?p?;/);
          }
        },
      ),
    );
  });
});

describe('rendering the App Home', () => {
  it('shows up to 100 blocks and says plainly when there is more', () => {
    const items: Block[] = Array.from({ length: 150 }, (_, i) => ({ type: 'text', text: `Item ${i + 1}` }));
    const view = renderHome({ text: 'Home', blocks: items });
    expect(blockProblems(view.blocks, 'home')).toEqual([]);
    expect(view.blocks).toHaveLength(100);
    expect(JSON.stringify(view.blocks.at(-1))).toContain('There is more than fits on this page');
  });
});

describe('rendering a form as a modal', () => {
  const form: Form = {
    id: 'onboarding.profile',
    title: 'Tell us about yourself, please',
    submitLabel: 'Save',
    state: 'G1',
    fields: [
      { kind: 'short', id: 'name', label: 'What should we call you?', required: true, maxLength: 80 },
      { kind: 'paragraph', id: 'about', label: 'Anything else?', hint: 'Optional', maxLength: 500 },
      {
        kind: 'select',
        id: 'tz',
        label: 'Timezone',
        options: Array.from({ length: 150 }, (_, i) => ({ label: `Zone ${i}`, value: `z${i}` })),
      },
      {
        kind: 'checkboxes',
        id: 'days',
        label: 'Days',
        options: [
          { label: 'Mon', value: 'mon' },
          { label: 'Tue', value: 'tue' },
        ],
        initial: ['tue'],
      },
      {
        kind: 'checkboxes',
        id: 'topics',
        label: 'Topics',
        options: Array.from({ length: 12 }, (_, i) => ({ label: `T${i}`, value: `t${i}` })),
      },
    ],
  };

  it('builds a modal Slack accepts, with the form id as callback id and the state carried along', () => {
    const view = renderForm(form, { state: 'G1', channelId: 'C1' }) as unknown as Obj;
    expect(blockProblems(view.blocks as Obj[], 'modal')).toEqual([]);
    expect(view.callback_id).toBe('onboarding.profile');
    expect((view.title as Obj).text).toBe('Tell us about…');
    expect(JSON.stringify(view.blocks)).toContain('Tell us about yourself, please');
    expect(parseFormMetadata(view.private_metadata as string)).toEqual({ state: 'G1', channelId: 'C1' });
    const blocks = view.blocks as Obj[];
    const byId = Object.fromEntries(blocks.filter((b) => b.block_id).map((b) => [b.block_id, b]));
    expect(byId.name?.optional).toBe(false);
    expect((byId.tz!.element as Obj).option_groups).toHaveLength(2);
    expect((byId.days!.element as Obj).type).toBe('checkboxes');
    expect((byId.topics!.element as Obj).type).toBe('multi_static_select');
  });

  it('builds a modal Slack accepts for any form: long titles, labels and option lists', () => {
    const fieldArb = fc.oneof(
      fc.record({
        kind: fc.constantFrom('short' as const, 'paragraph' as const),
        id: value,
        label,
        required: fc.boolean(),
        hint: fc.option(label, { nil: undefined }),
        maxLength: fc.integer({ min: 1, max: 10_000 }),
        initial: fc.option(prose(50), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constantFrom('select' as const, 'checkboxes' as const),
        id: value,
        label,
        required: fc.boolean(),
        options: fc.oneof(
          fc.array(fc.record({ label, value }), { minLength: 1, maxLength: 12 }),
          fc.array(fc.record({ label, value }), { minLength: 101, maxLength: 250 }),
        ),
      }),
    );
    const formArb = fc.record({
      id: value,
      title: label,
      submitLabel: label,
      state: fc.option(value, { nil: undefined }),
      fields: fc.uniqueArray(fieldArb, { selector: (f) => f.id, maxLength: 8 }),
    });
    fc.assert(
      fc.property(formArb, (form) => {
        const view = renderForm(form, { state: form.state, channelId: 'C1' }) as unknown as Obj;
        expect(blockProblems(view.blocks as Obj[], 'modal')).toEqual([]);
        for (const key of ['title', 'submit', 'close'])
          expect(((view[key] as Obj).text as string).length).toBeLessThanOrEqual(24);
        const ids = (view.blocks as Obj[]).filter((b) => b.type === 'input').map((b) => b.block_id);
        expect(ids).toEqual(form.fields.map((f) => f.id));
      }),
      { numRuns: 40 },
    );
  });

  it('reads submitted values back by field id', () => {
    expect(
      formValues({
        name: { name: { type: 'plain_text_input', value: 'Ann' } },
        about: { about: { type: 'plain_text_input', value: null } },
        tz: { tz: { type: 'static_select', selected_option: { value: 'z3' } } },
        days: { days: { type: 'checkboxes', selected_options: [{ value: 'mon' }] } },
      }),
    ).toEqual({ name: 'Ann', about: undefined, tz: 'z3', days: ['mon'] });
  });
});
