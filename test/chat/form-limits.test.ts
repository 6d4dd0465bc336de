import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FormSessions, modalFor } from '../../adapters/discord/forms.js';
import { renderForm } from '../../adapters/slack/render-form.js';
import { schema } from '../../db/client.js';
import type { Form, FormField } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { buttonOf, coreWith } from '../onboarding/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam');
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  core = coreWith(db, clock);
  await core.say(ann, 'setup --name "Leaflet group"');
});

type TextField = Extract<FormField, { kind: 'short' | 'paragraph' }>;
const textFields = (form: Form) =>
  form.fields.filter((f): f is TextField => f.kind === 'short' || f.kind === 'paragraph');

/** Every form copro opens that has boxes to type in, opened as a member would. */
async function everyForm(): Promise<Form[]> {
  const settings = (await core.say(ann, 'group settings')).forms[0];
  const pack = (await core.say(ann, 'onboarding edit')).forms[0];
  await core.joined(sam);
  const profile = await core.say(sam, 'profile');
  const change = await core.press(sam, profile.said[0]?.message, 'Change my profile');
  const access = await core.press(sam, profile.said[0]?.message, 'Change my access needs');
  return [settings, pack, change.forms[0], access.forms[0]].filter((f): f is Form => f !== undefined);
}

describe('how long a form answer can be', () => {
  it('gives every box in every form a limit, which Slack and Discord both show', async () => {
    const forms = await everyForm();
    expect(forms.map((f) => f.id)).toEqual([
      'group.settings',
      'onboarding.pack',
      'onboarding.profile',
      'onboarding.access',
    ]);
    for (const form of forms) {
      const slack = renderForm(form).blocks.flatMap((b) => {
        const element =
          b.type === 'input' ? (b as unknown as { element: Record<string, unknown> }).element : {};
        return element.type === 'plain_text_input' ? [[b.block_id, element.max_length]] : [];
      });
      const discord = modalFor(new FormSessions().open(form, 'sam'), 0).components.flatMap((c) => {
        const input = 'component' in c ? c.component : undefined;
        return input && 'max_length' in input ? [[input.custom_id, input.max_length]] : [];
      });
      const declared = textFields(form).map((f) => [f.id, f.maxLength]);
      expect(declared.every(([, max]) => typeof max === 'number' && max > 0)).toBe(true);
      expect(slack).toEqual(declared);
      expect(discord).toEqual(declared.slice(0, discord.length));
    }
  });

  it('answers one character too many with a plain note on that box, and stores nothing', async () => {
    for (const form of await everyForm()) {
      for (const field of textFields(form)) {
        const before = await db.db.select().from(schema.auditLog);
        const values = { [field.id]: '😀'.repeat(field.maxLength + 1) };
        const coordinatorsForm = form.id === 'group.settings' || form.id === 'onboarding.pack';
        const { errors } = await core.submit(coordinatorsForm ? ann : sam, form, values);
        const max = field.maxLength.toLocaleString('en-GB');
        expect(errors?.[field.id], `${form.id} ${field.id}`).toBe(
          `Please keep this to ${max} characters or fewer (it has ${(field.maxLength + 1).toLocaleString('en-GB')}).`,
        );
        expect(await db.db.select().from(schema.auditLog)).toEqual(before);
      }
    }
    expect(await db.db.select().from(schema.onboardingProfiles)).toEqual([]);
  });

  it('counts an emoji as one character, so an answer exactly at the limit is kept', async () => {
    const settings = (await core.say(ann, 'group settings')).forms[0];
    const { errors } = await core.submit(ann, settings, { name: '🌻'.repeat(80), timezone: 'Europe/London' });
    expect(errors).toBeUndefined();
    const [group] = await db.db.select().from(schema.groups);
    expect(group?.name).toBe('🌻'.repeat(80));
  });

  it('names no limit but the box’s own for a name far past it', async () => {
    const settings = (await core.say(ann, 'group settings')).forms[0];
    const { errors } = await core.submit(ann, settings, {
      name: 'x'.repeat(10_000),
      timezone: 'Europe/London',
    });
    expect(errors?.name).toBe(
      'This is far too long (it has 10,000 characters). Please make it much shorter.',
    );
  });

  it('refuses an answer longer than any form allows, even to a form with no box for it', async () => {
    await core.joined(sam);
    const profile = await core.say(sam, 'profile');
    const { forms } = await core.press(sam, profile.said[0]?.message, 'Change my profile');
    const { errors } = await core.submit(sam, forms[0], {
      name: 'Sam',
      timezone: 'Europe/London',
      contact: 'x'.repeat(4001),
    });
    expect(errors?.contact).toBe(
      'This is far too long (it has 4,001 characters). Please make it much shorter.',
    );
    expect(buttonOf(profile.said[0]?.message, 'Change my profile')).toBeDefined();
  });
});

describe('a hidden control character in a form answer', () => {
  it('is answered on its box with a request to type it again, in every form, and nothing is stored', async () => {
    const forms = await everyForm();
    const nul = 'Leaf\u0000group';
    for (const form of forms) {
      const box = textFields(form)[0];
      if (!box) continue;
      const coordinatorsForm = form.id === 'group.settings' || form.id === 'onboarding.pack';
      const { errors } = await core.submit(coordinatorsForm ? ann : sam, form, { [box.id]: nul });
      expect(errors?.[box.id], form.id).toContain('hidden control character');
      expect(errors?.[box.id], form.id).toContain('Please type it again');
    }
    const [group] = await db.db.select().from(schema.groups);
    expect(group?.name).toBe('Leaflet group');
  });
});
