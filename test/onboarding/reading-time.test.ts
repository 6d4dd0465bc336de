import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, Form, Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { DEFAULT_CHECKLIST } from '../../src/onboarding/pack.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { buttonsOf, coreWith } from './support.js';

/**
 * What the welcome sends a newcomer, with the forms' questions read while answering them, must
 * take under two minutes to read at a slow, careful pace (200 words a minute). It
 * is walked here on the longest path a member can take with copro's default pack
 * (nothing written by the coordinator): /copro join and its answer, the welcome, the pack, every
 * expectation, the profile step and its form, access needs with consent and their form, the
 * buddy question, the hello in the channel, and the last message.
 *
 * Counted as message words: every heading, text, note and button label of each message the
 * member is sent or that replaces one they see (Slack and Discord show the blocks; the
 * plain-text fallback is only for notifications). Counted as form words: each form's title,
 * questions, hints, choices and Save button. Names (the member's, the group's) count too.
 */
const WORDS_PER_MINUTE = 200;
/** Two minutes at 200 words a minute, messages and forms together. */
const MOST_WORDS = 2 * WORDS_PER_MINUTE - 1;

const words = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

function blockWords(block: Block): number {
  switch (block.type) {
    case 'heading':
    case 'text':
    case 'context':
      return words(block.text);
    case 'fields':
      return block.fields.reduce((n, f) => n + words(`${f.label} ${f.value}`), 0);
    case 'buttons':
      return block.buttons.reduce((n, b) => n + words(b.label), 0);
    case 'select':
      return words(block.placeholder) + block.options.reduce((n, o) => n + words(o.label), 0);
    default:
      return 0;
  }
}

function messageWords(message: Message): number {
  const blocks: readonly Block[] = message.blocks ?? [{ type: 'text', text: message.text }];
  return blocks.reduce((sum, block) => sum + blockWords(block), 0);
}

function formWords(form: Form): number {
  return (
    words(form.title) +
    words(form.submitLabel ?? '') +
    form.fields.reduce(
      (n, f) =>
        n +
        words(f.label) +
        words(f.hint ?? '') +
        ('options' in f ? f.options.reduce((m, o) => m + words(o.label), 0) : 0),
      0,
    )
  );
}

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());

describe('how long the welcome takes to read', () => {
  it(`is under two minutes of reading (${MOST_WORDS} words or fewer, forms included) from /copro join to the last message, with the default pack`, async () => {
    const core = coreWith(db, clock);
    const ann = person('Ann');
    const sam = person('Sam');
    await core.say(ann, 'setup --name "Leaflet group"');

    const seen: Message[] = [];
    const forms: Form[] = [];
    const joined = await core.say(sam, 'join');
    seen.push(...joined.said.map((s) => s.message));
    let message: Message | undefined;
    const latestDm = async () => {
      message = (await core.dms('sam')).at(-1);
      if (message) seen.push(message);
    };
    const press = async (label: string) => {
      const pressed = await core.press(sam, message, label);
      forms.push(...pressed.forms);
      if (pressed.message) {
        message = pressed.message;
        seen.push(message);
      }
      return pressed.forms[0];
    };
    await latestDm();
    await press('Start');
    await press('I have read this');
    let expectations = 0;
    while (buttonsOf(message).some((b) => b.label === 'I agree')) {
      await press('I agree');
      expectations++;
    }
    const profile = await press('Fill in my profile');
    expect(
      (await core.submit(sam, profile, { name: 'Sam', timezone: 'Europe/London' })).errors,
    ).toBeUndefined();
    await latestDm();
    const access = await press('Yes, I agree');
    expect((await core.submit(sam, access, { needs: ['large-print'], other: '' })).errors).toBeUndefined();
    await latestDm();
    await press('Yes please'); // a buddy
    await press('Yes please'); // a hello in the channel
    expect(message?.text).toContain('You are all set');
    expect(expectations).toBe(DEFAULT_CHECKLIST.length);
    expect(forms.map((f) => f.title)).toEqual(['Your profile', 'Your access needs']);

    const inMessages = seen.reduce((n, m) => n + messageWords(m), 0);
    const inForms = forms.reduce((n, f) => n + formWords(f), 0);
    const total = inMessages + inForms;
    const seconds = (n: number) => Math.round((n / WORDS_PER_MINUTE) * 60);
    console.info(
      `The welcome: ${inMessages} words in ${seen.length} messages (${seconds(inMessages)} s), ` +
        `${inForms} words in ${forms.length} forms (${seconds(inForms)} s): ${total} words, ${seconds(total)} s at ${WORDS_PER_MINUTE} words a minute.`,
    );
    expect(total).toBeLessThanOrEqual(MOST_WORDS);
  });
});
