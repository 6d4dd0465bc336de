import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ActionEvent, type Form, type FormEvent, textMessage } from '../../src/chat/index.js';
import type { Feature } from '../../src/features.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

/**
 * Test-only forms and buttons, plugged into the real core beside the real features, so that
 * modals and clicks go through Bolt, the adapter and the core's routing and dedupe for real.
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
/** Slow work the test releases by hand, to show Slack is answered before the work is done. */
let release: () => void = () => {};
let opened: Promise<void> = Promise.resolve();
function closeGate() {
  opened = new Promise<void>((resolve) => {
    release = resolve;
  });
}
const gate = () => opened;
const submissions: FormEvent[] = [];
const clicks: ActionEvent[] = [];
const fixture: Feature = {
  name: 'test fixture',
  commands: {
    'forget-me': async () => {
      await gate();
      return { message: textMessage('Welcome aboard.') };
    },
    'my-data': async (ctx) => {
      await ctx.event.openForm(profileForm);
      return { message: textMessage('Your profile form is open.') };
    },
  },
  forms: {
    'test.slow': async () => {
      await gate();
      return { name: 'This came too late to show.' };
    },
    'test.profile': async ({ event }) => {
      submissions.push(event);
      if (!event.values.name) return { name: 'Please tell us what to call you.' };
      await event.reply(textMessage(`Thank you, ${event.values.name}. Your profile is saved.`));
      return undefined;
    },
  },
  actions: {
    'test.count': async ({ event }) => {
      clicks.push(event);
      await event.updateMessage(textMessage(`Clicked ${clicks.length} time(s).`));
    },
  },
};

let h: Harness;

beforeAll(async () => {
  // A slow form is closed after 1 s rather than 2.5 s: the same path, sooner. Still long enough
  // for the quick forms here to be answered in time on a busy machine.
  h = await startHarness({ extraFeatures: [fixture], formAnswerWithinMs: 1000 });
});
beforeEach(async () => {
  await h.slack.settled();
  submissions.length = 0;
  clicks.length = 0;
  await h.db.startFrom('a group', async () => {
    await h.driver.command('setup', { userId: ANN.id });
    await h.slack.settled();
  });
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

describe('answering within Slack’s 3 seconds', () => {
  beforeEach(closeGate);

  it('acknowledges a command before its work is done, and answers when it is', async () => {
    const { response, responseId } = await h.driver.command('forget-me', { userId: BO.id });
    expect(response).toMatchObject({ status: 200, text: '' });
    expect(h.fake.callsTo('response_url')).toEqual([]);
    release();
    await h.slack.settled();
    const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(answer?.body.text).toBe('Welcome aboard.');
  });

  it('closes a form inside the window when the work behind it is slow', async () => {
    const started = Date.now();
    const res = await h.driver.submit({ user: BO, callbackId: 'test.slow', values: {} });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res).toMatchObject({ status: 200, text: '' });
    release();
    await h.slack.settled();
  });
});

describe('forms (Slack modals)', () => {
  it('opens a modal with the trigger id of the command that asked for it', async () => {
    const { triggerId } = await h.driver.command('my-data', { userId: BO.id });
    const [opened] = await h.fake.waitFor('views.open');
    expect(opened?.body.trigger_id).toBe(triggerId);
    const view = opened?.body.view as Record<string, unknown>;
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'test.profile',
      title: { text: 'Your profile' },
    });
    expect(JSON.parse(String(view.private_metadata))).toEqual({ s: 'S1', c: 'C0HOME' });
    expect((view.blocks as { block_id: string }[]).map((b) => b.block_id)).toEqual(['name', 'contact']);
  });

  it('answers a submission with a missing field with response_action "errors", keeping the form open', async () => {
    const res = await h.driver.submit({
      user: BO,
      callbackId: 'test.profile',
      privateMetadata: JSON.stringify({ s: 'S1', c: 'C0HOME' }),
      values: {
        name: { type: 'plain_text_input', value: null },
        contact: { type: 'static_select', selected: 'email' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { name: 'Please tell us what to call you.' },
    });
    expect(submissions[0]?.values).toEqual({ name: undefined, contact: 'email' });
    await h.slack.settled();
    expect(h.fake.calls).toEqual([]);
  });

  it('shows the same errors again when Submit is pressed again without changing anything', async () => {
    const again = () =>
      h.driver.submit({
        user: BO,
        callbackId: 'test.profile',
        viewId: 'V0AGAIN',
        privateMetadata: JSON.stringify({ s: 'S1', c: 'C0HOME' }),
        values: {
          name: { type: 'plain_text_input', value: null },
          contact: { type: 'static_select', selected: 'email' },
        },
      });
    const errors = { response_action: 'errors', errors: { name: 'Please tell us what to call you.' } };
    expect((await again()).json).toEqual(errors);
    // Closing the form here would lose it, with nothing saved and nothing said.
    expect((await again()).json).toEqual(errors);
  });

  it('closes the form on a good submission and thanks the person privately in the channel', async () => {
    const res = await h.driver.submit({
      user: BO,
      callbackId: 'test.profile',
      privateMetadata: JSON.stringify({ s: 'S1', c: 'C0HOME' }),
      values: {
        name: { type: 'plain_text_input', value: 'Bo' },
        contact: { type: 'static_select', selected: null },
      },
    });
    expect(res).toMatchObject({ status: 200, text: '' });
    expect(submissions[0]).toMatchObject({
      formId: 'test.profile',
      state: 'S1',
      channelId: 'C0HOME',
      values: { name: 'Bo' },
    });
    const [thanks] = await h.fake.waitFor('chat.postEphemeral');
    expect(thanks?.body).toMatchObject({
      channel: 'C0HOME',
      user: 'UBO',
      text: 'Thank you, Bo. Your profile is saved.',
    });
  });

  it('takes a form after a correction, but a double press on Submit only once', async () => {
    const submit = (name: string | null) =>
      h.driver.submit({
        user: BO,
        callbackId: 'test.profile',
        viewId: 'V0SAME',
        values: { name: { type: 'plain_text_input', value: name } },
      });
    await submit(null);
    await submit('Bo');
    await submit('Bo');
    await h.slack.settled();
    expect(submissions.map((s) => s.values.name)).toEqual([undefined, 'Bo']);
  });
});

describe('buttons and selects', () => {
  it('turns a click into an action with the feature’s own action id, and updates the message in place', async () => {
    const res = await h.driver.click({
      user: BO,
      actionId: 'test.count~3',
      value: 'P1:2',
      messageTs: '1700000000.000042',
    });
    expect(res.response).toMatchObject({ status: 200, text: '' });
    const [update] = await h.fake.waitFor('chat.update');
    expect(clicks[0]).toMatchObject({ actionId: 'test.count', value: 'P1:2', channelId: 'C0HOME' });
    expect(update?.body).toMatchObject({
      channel: 'C0HOME',
      ts: '1700000000.000042',
      text: 'Clicked 1 time(s).',
    });
  });

  it('counts a click Slack delivers twice only once, and a second click as a second', async () => {
    await h.driver.click({ user: BO, actionId: 'test.count~0', value: 'x', actionTs: '1700000001.000001' });
    await h.driver.click({
      user: BO,
      actionId: 'test.count~0',
      value: 'x',
      actionTs: '1700000001.000001',
      retryNum: 1,
    });
    await h.slack.settled();
    expect(clicks).toHaveLength(1);
    await h.driver.click({ user: BO, actionId: 'test.count~0', value: 'x', actionTs: '1700000002.000001' });
    await h.slack.settled();
    expect(clicks).toHaveLength(2);
  });

  it('takes a double click on the same button as one click, but a click a moment later as another', async () => {
    const click = (actionTs: string) =>
      h.driver.click({
        user: BO,
        actionId: 'test.count~0',
        value: 'P1:0',
        actionTs,
        messageTs: '1700000000.000077',
      });
    await click('1700000100.100000');
    await click('1700000100.400000');
    await h.slack.settled();
    expect(clicks).toHaveLength(1);
    await click('1700000103.000000');
    await h.slack.settled();
    expect(clicks).toHaveLength(2);
  });

  it('takes each click of someone correcting a slip within a second: Monday, Tuesday, Monday again', async () => {
    const click = (value: string, actionTs: string) =>
      h.driver.click({
        user: BO,
        actionId: 'test.count~0',
        value,
        actionTs,
        messageTs: '1700000000.000078',
      });
    await click('P1:0', '1700000200.100000');
    await click('P1:1', '1700000200.300000');
    await click('P1:0', '1700000200.500000');
    await h.slack.settled();
    expect(clicks.map((c) => c.value)).toEqual(['P1:0', 'P1:1', 'P1:0']);
  });

  it('gives the chosen option of a select as the value', async () => {
    await h.driver.click({ user: BO, actionId: 'test.count~1', selected: 'meeting-7' });
    await h.slack.settled();
    expect(clicks[0]?.value).toBe('meeting-7');
  });

  it('replaces an ephemeral message through its response_url, since chat.update cannot reach it', async () => {
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: 'test.count~0',
      value: 'x',
      ephemeral: true,
    });
    await h.slack.settled();
    expect(h.fake.callsTo('chat.update')).toEqual([]);
    const [replaced] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(replaced?.body).toMatchObject({ replace_original: true, text: 'Clicked 1 time(s).' });
  });

  it('redraws the App Home when a button on it updates its message', async () => {
    await h.driver.click({ user: BO, actionId: 'test.count~0', value: 'x', onHome: true });
    const [published] = await h.fake.waitFor('views.publish');
    expect(published?.body).toMatchObject({ user_id: 'UBO', view: { type: 'home' } });
    expect(JSON.stringify(published?.body.view)).toContain('Clicked 1 time(s).');
    expect(h.fake.callsTo('chat.update')).toEqual([]);
  });

  it('answers a button that no longer does anything privately and plainly', async () => {
    const { responseId } = await h.driver.click({ user: BO, actionId: 'gone.feature~0', value: 'x' });
    await h.slack.settled();
    const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('That button no longer works');
  });
});
