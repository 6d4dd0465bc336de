import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ActionEvent, type Form, type FormEvent, textMessage } from '../../src/chat/index.js';
import type { Feature } from '../../src/features.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

/**
 * Test-only forms and buttons, plugged into the real core beside the real features, so clicks
 * and modals go through discord.js, the adapter and the core's routing and dedupe for real.
 */
const profileForm: Form = {
  id: 'test.profile',
  title: 'Your profile',
  submitLabel: 'Save',
  state: 'S1',
  fields: [
    { kind: 'short', id: 'name', label: 'What should we call you?', required: true, maxLength: 80 },
    {
      kind: 'select',
      id: 'contact',
      label: 'How should we reach you?',
      options: [
        { label: 'Email', value: 'email' },
        { label: 'Phone', value: 'phone' },
      ],
    },
  ],
};
const longForm: Form = {
  id: 'test.long',
  title: 'About your involvement',
  submitLabel: 'Send',
  fields: Array.from({ length: 7 }, (_, i) => ({
    kind: 'short' as const,
    id: `q${i + 1}`,
    label: `Question ${i + 1}`,
    maxLength: 200,
  })),
};
const submissions: FormEvent[] = [];
const clicks: ActionEvent[] = [];
const fixture: Feature = {
  name: 'test fixture',
  commands: {
    'my-data': async (ctx) => {
      await ctx.event.openForm(profileForm);
      return { message: textMessage('Your profile form is open.') };
    },
    'forget-me': async (ctx) => {
      await ctx.event.openForm(longForm);
      return { message: textMessage('The form is open.') };
    },
  },
  forms: {
    'test.profile': async ({ event }) => {
      submissions.push(event);
      if (!event.values.name) return { name: 'Please tell us what to call you.' };
      await event.reply(textMessage(`Thank you, ${event.values.name}. Your profile is saved.`));
      return undefined;
    },
    'test.long': async ({ event }) => {
      submissions.push(event);
      await event.reply(textMessage('Thank you. All seven answers are saved.'));
      return undefined;
    },
  },
  actions: {
    'test.count': async ({ event }) => {
      clicks.push(event);
      await event.updateMessage({
        text: `Clicked ${clicks.length} time(s).`,
        blocks: [
          { type: 'text', text: `Clicked ${clicks.length} time(s).` },
          { type: 'buttons', buttons: [{ actionId: 'test.count', label: 'Count', value: 'C1' }] },
        ],
      });
    },
    'test.pick': async ({ event }) => {
      clicks.push(event);
      await event.reply(textMessage(`You picked ${event.value}.`));
    },
  },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ extraFeatures: [fixture] });
});
beforeEach(async () => {
  await h.reset();
  submissions.length = 0;
  clicks.length = 0;
  await h.db.startFrom('a group', async () => {
    const setup = h.fake.command(ANN, ['setup']);
    await eventually(() => h.fake.visible(setup).length > 0, 'setup');
    await h.discord.settled();
  });
});
afterAll(async () => {
  await h.close();
});

async function settle() {
  await h.discord.settled();
}

describe('buttons and selects', () => {
  it('updates the message a button sits on, in place, when the core asks', async () => {
    const ref = await h.discord.post(
      { kind: 'channel', channelId: h.fake.channelId },
      {
        text: 'Press to count.',
        blocks: [
          { type: 'text', text: 'Press to count.' },
          {
            type: 'buttons',
            buttons: [{ actionId: 'test.count', label: 'Count', value: 'C1', style: 'primary' }],
          },
        ],
      },
    );
    const posted = h.fake.messages.get(ref.messageId)!;
    const click = h.fake.click(BO, posted, 'Count');
    await eventually(() => posted.edits === 1, 'the message to be updated');
    await settle();

    expect(click.callbacks.map((c) => c.type)).toEqual([7]);
    expect(posted.content).toBe('Clicked 1 time(s).');
    expect(clicks[0]).toMatchObject({
      actionId: 'test.count',
      value: 'C1',
      message: { platform: 'discord', channelId: h.fake.channelId, messageId: posted.id },
      actor: { userId: BO.user.id, displayName: 'Bo Jones', isPlatformAdmin: false },
    });
  });

  it('hands the chosen option of a select to the core as the value', async () => {
    const ref = await h.discord.post(
      { kind: 'channel', channelId: h.fake.channelId },
      {
        text: 'Pick a day.',
        blocks: [
          {
            type: 'select',
            actionId: 'test.pick',
            placeholder: 'Choose a day',
            options: [
              { label: 'Monday', value: 'mon' },
              { label: 'Tuesday', value: 'tue' },
            ],
          },
        ],
      },
    );
    const choose = h.fake.choose(BO, h.fake.messages.get(ref.messageId)!, 'Choose a day', ['tue']);
    const [answer] = await eventually(
      () => h.fake.visible(choose).length > 0 && h.fake.visible(choose),
      'a reply',
    );
    expect(answer!.content).toBe('You picked tue.');
    expect(answer!.flags & EPHEMERAL).toBe(EPHEMERAL);
  });
});

describe('forms (Discord modals)', () => {
  it('opens a modal for the command, and hands the answers and state to the core on submit', async () => {
    const opened = h.fake.command(BO, ['my-data']);
    await eventually(() => opened.modal, 'a modal');
    await settle();
    // The modal is the whole answer: the core's "form is open" reply is not sent after it.
    expect(opened.callbacks.map((c) => c.type)).toEqual([9]);
    expect(h.fake.requestsTo('POST', new RegExp(`^/webhooks/\\d+/${opened.payload.token}$`))).toEqual([]);
    expect(opened.modal).toMatchObject({ title: 'Your profile' });
    expect(opened.modal!.components.map((c) => ('label' in c ? c.label : ''))).toEqual([
      'What should we call you?',
      'How should we reach you?',
    ]);

    const submitted = h.fake.submit(BO, opened, {
      'What should we call you?': 'Bo',
      'How should we reach you?': ['phone'],
    });
    const [thanks] = await eventually(
      () => h.fake.visible(submitted).length > 0 && h.fake.visible(submitted),
      'thanks',
    );
    await settle();
    expect(thanks!.content).toBe('Thank you, Bo. Your profile is saved.');
    expect(thanks!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]).toMatchObject({
      formId: 'test.profile',
      state: 'S1',
      values: { name: 'Bo', contact: ['phone'] },
    });
  });

  it('says what to fix when the core finds a problem, and reopens the form with the answers kept', async () => {
    const opened = h.fake.command(BO, ['my-data']);
    await eventually(() => opened.modal, 'a modal');
    const submitted = h.fake.submit(BO, opened, { 'How should we reach you?': ['email'] });
    const [problem] = await eventually(
      () => h.fake.visible(submitted).length > 0 && h.fake.visible(submitted),
      'errors',
    );
    await settle();
    expect(problem!.content).toContain('Some answers need another look');
    expect(problem!.content).toContain('- What should we call you?: Please tell us what to call you.');

    const again = h.fake.click(BO, problem!, 'Change my answers');
    await eventually(() => again.modal, 'the form again');
    const select = again.modal!.components[1] as {
      component: { options: { value: string; default?: boolean }[] };
    };
    expect(select.component.options.find((o) => o.default)?.value).toBe('email');

    const fixed = h.fake.submit(BO, again, {
      'What should we call you?': 'Bo',
      'How should we reach you?': ['email'],
    });
    await eventually(() => h.fake.visible(fixed).length > 0, 'thanks');
    await settle();
    expect(submissions.map((s) => s.values.name)).toEqual([undefined, 'Bo']);
  });

  it('asks a form longer than five questions a page at a time, and hands the core all the answers once', async () => {
    const opened = h.fake.command(BO, ['forget-me']);
    await eventually(() => opened.modal, 'page 1');
    expect(opened.modal!.title).toBe('About your involvement (1 of 2)');
    expect(opened.modal!.components).toHaveLength(5);

    const page1 = h.fake.submit(
      BO,
      opened,
      Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`Question ${i}`, `answer ${i}`])),
    );
    const [next] = await eventually(
      () => h.fake.visible(page1).length > 0 && h.fake.visible(page1),
      'Continue',
    );
    expect(next!.content).toContain('Part 1 of 2 is saved');
    expect(submissions).toHaveLength(0);

    const cont = h.fake.click(BO, next!, 'Continue');
    await eventually(() => cont.modal, 'page 2');
    expect(cont.modal!.title).toBe('About your involvement (2 of 2)');
    const page2 = h.fake.submit(BO, cont, { 'Question 6': 'answer 6', 'Question 7': 'answer 7' });
    await eventually(() => h.fake.visible(page2).length > 0, 'thanks');
    await settle();

    // The answer replaced the "Continue" prompt: no stale button is left behind.
    expect(next!.content).toBe('Thank you. All seven answers are saved.');
    expect(next!.components).toEqual([]);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]!.values).toEqual(
      Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`q${i}`, `answer ${i}`])),
    );
  });

  it("tells someone else who presses another person's form button that it has closed", async () => {
    const opened = h.fake.command(BO, ['my-data']);
    await eventually(() => opened.modal, 'a modal');
    const submitted = h.fake.submit(ANN, opened, { 'What should we call you?': 'Not Bo' });
    const [answer] = await eventually(
      () => h.fake.visible(submitted).length > 0 && h.fake.visible(submitted),
      'an answer',
    );
    expect(answer!.content).toContain('This form was open for a long time and has closed');
    expect(submissions).toHaveLength(0);
  });
});
