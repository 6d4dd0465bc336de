import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { ANN, BO, type Harness, rows, startHarness } from './harness.js';

/**
 * A newcomer's whole welcome on Slack: the real Bolt app over signed HTTP, the real core and
 * database, and only Slack's Web API faked. Every button is pressed as Slack would send it.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true, encryptionKey: randomBytes(32) });
});
beforeEach(async () => {
  await h.reset();
  await h.driver.command('setup', { userId: ANN.id });
  await h.slack.settled();
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

interface SlackButton {
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

function buttonIn(call: FakeSlackCall | undefined, label: string): SlackButton {
  const blocks = (call?.body.blocks ?? []) as { type: string; elements?: SlackButton[] }[];
  const found = blocks
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .find((e) => e.text.text === label);
  if (!found) throw new Error(`no "${label}" button in: ${String(call?.body.text)}`);
  return found;
}

/** The latest message copro posted or rewrote in Bo's direct messages. */
async function latestDm(): Promise<FakeSlackCall | undefined> {
  await h.slack.settled();
  return h.fake.calls
    .filter(
      (c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === 'DUBO',
    )
    .at(-1);
}

async function press(label: string): Promise<FakeSlackCall | undefined> {
  const on = await latestDm();
  const b = buttonIn(on, label);
  const ts =
    on?.method === 'chat.update'
      ? String(on.body.ts)
      : String((on?.answer as { ts?: string } | undefined)?.ts);
  await h.driver.click({ user: BO, actionId: b.action_id, value: b.value, channelId: 'DUBO', messageTs: ts });
  return latestDm();
}

async function openedForm() {
  const [opened] = await h.fake.waitFor('views.open');
  const view = opened?.body.view as { callback_id: string; private_metadata: string };
  h.fake.clear();
  return view;
}

describe('onboarding on Slack', () => {
  it('walks a newcomer from joining the channel to done, with Not now, /copro join and a later edit', async () => {
    await h.driver.event({
      type: 'member_joined_channel',
      user: BO.id,
      channel: 'C0HOME',
      channel_type: 'C',
      team: 'T0FAKE',
    });
    expect(String((await latestDm())?.body.text)).toContain('Welcome to #coproduction');

    expect(String((await press('Start'))?.body.text)).toContain('About #coproduction (step 2 of 7)');
    let step = await press('I have read this');
    while (String(step?.body.text).includes('Choices: I agree,')) step = await press('I agree');
    expect(String(step?.body.text)).toContain('Your profile (step 4 of 7)');

    await press('Fill in my profile');
    const profile = await openedForm();
    expect(profile.callback_id).toBe('onboarding.profile');
    const submitted = await h.driver.submit({
      user: BO,
      callbackId: profile.callback_id,
      privateMetadata: profile.private_metadata,
      values: {
        name: { type: 'plain_text_input', value: 'Bo' },
        timezone: { type: 'plain_text_input', value: 'America/New_York' },
        contact: { type: 'static_select', selected: 'chat' },
        interests: { type: 'plain_text_input', value: 'gardening, data' },
      },
    });
    expect(submitted.status).toBe(200);
    expect(String((await latestDm())?.body.text)).toContain('Access needs (step 5 of 7)');

    expect(String((await press('Not now'))?.body.text)).toContain('copro will not remind you');
    await h.driver.command('join', { userId: BO.id });
    await h.slack.settled();
    const answer = h.fake.callsTo('response_url').at(-1);
    expect(String(answer?.body.text)).toContain('where you left off: step 5 of 7');
    expect(String((await latestDm())?.body.text)).toContain('Access needs (step 5 of 7)');

    await press('Yes, I agree');
    const access = await openedForm();
    await h.driver.submit({
      user: BO,
      callbackId: access.callback_id,
      privateMetadata: access.private_metadata,
      values: {
        needs: { type: 'checkboxes', selected: ['captions'] },
        named: { type: 'checkboxes', selected: [] },
      },
    });
    expect(String((await latestDm())?.body.text)).toContain('Would you like a buddy');
    await press('No thanks');
    const done = await press('No thanks');
    expect(String(done?.body.text)).toContain('Thank you, Bo!');

    const [stored] = await rows(h.db, 'onboarding_profiles');
    expect(JSON.stringify(stored)).not.toContain('captions');
    expect(stored).toMatchObject({ preferred_name: 'Bo', timezone: 'America/New_York', wants_buddy: false });

    h.fake.clear();
    await h.driver.command('onboarding status', { userId: ANN.id });
    await h.slack.settled();
    const status = String(h.fake.callsTo('response_url').at(-1)?.body.text);
    expect(status).toContain(`Finished (1)\n• <@${BO.id}>, on`);
    expect(status).toContain('In progress (0)');
  });

  it('lets the member see and change an answer later with /copro profile', async () => {
    await h.driver.command('join', { userId: BO.id });
    await h.slack.settled();
    h.fake.clear();
    const { responseId } = await h.driver.command('profile', { userId: BO.id });
    await h.slack.settled();
    const shown = h.fake.callsTo('response_url').find((c) => c.responseUrlId === responseId);
    expect(shown?.body.response_type).toBe('ephemeral');
    expect(String(shown?.body.text)).toContain('Your welcome to the group: you are at "the first hello"');
    const change = buttonIn(shown, 'Change my profile');
    await h.driver.click({ user: BO, actionId: change.action_id, value: change.value, ephemeral: true });
    const form = await openedForm();
    await h.driver.submit({
      user: BO,
      callbackId: form.callback_id,
      privateMetadata: form.private_metadata,
      values: {
        name: { type: 'plain_text_input', value: 'Bobby' },
        timezone: { type: 'plain_text_input', value: 'Europe/London' },
      },
    });
    await h.slack.settled();
    const saved = h.fake.callsTo('chat.postEphemeral').at(-1);
    expect(String(saved?.body.text)).toContain('Saved: your profile is up to date.');
    const [stored] = await rows(h.db, 'onboarding_profiles');
    expect(stored?.preferred_name).toBe('Bobby');
  });
});
