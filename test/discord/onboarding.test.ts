import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../slack/harness.js';
import { eventually } from '../support/fake-discord-driver.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { ANN, type Harness, startHarness } from './harness.js';

/**
 * A newcomer's welcome on Discord: the real discord.js client against the fake gateway and REST
 * API. Buttons and forms are used in the bot's direct messages, where Discord names no server.
 */
let h: Harness;
const dee = fakeMember('dee', { globalName: 'Dee' });

beforeAll(async () => {
  h = await startHarness({ encryptionKey: randomBytes(32) });
});
beforeEach(async () => {
  await h.reset();
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  await h.discord.settled();
});
afterAll(async () => {
  await h.close();
});

const latest = () => h.fake.dmsTo(dee.user.id).at(-1);

async function press(label: string, expecting: string) {
  const on = latest();
  if (!on) throw new Error('no direct message yet');
  const record = h.fake.click(dee, on, label);
  await eventually(() => record.callbacks.length > 0, `an answer to ${label}`);
  await h.discord.settled();
  await eventually(() => latest()?.content.includes(expecting), `"${expecting}"`);
  return record;
}

describe('onboarding on Discord', () => {
  it('walks a newcomer through every step in direct messages, with Not now and /copro join', async () => {
    h.fake.memberJoins(dee);
    await eventually(() => latest()?.content.includes('Welcome to #co-production'), 'the welcome');
    await press('Start', 'About #co-production (step 2 of 7)');
    await press('I have read this', '1 of 4');
    for (const n of [2, 3, 4]) await press('I agree', `${n} of 4`);
    await press('I agree', 'Your profile (step 4 of 7)');

    const opened = h.fake.click(dee, latest()!, 'Fill in my profile');
    await eventually(() => opened.modal, 'the profile form');
    expect(opened.modal?.title).toBe('Your profile (1 of 2)');
    const page1 = h.fake.submit(dee, opened, {
      'What should we call you?': 'Dee',
      'Your timezone': 'Europe/Dublin',
      'How to contact you?': ['chat'],
    });
    const [next] = await eventually(
      () => h.fake.visible(page1).length > 0 && h.fake.visible(page1),
      'page 1 saved',
    );
    const cont = h.fake.click(dee, next!, 'Continue');
    await eventually(() => cont.modal, 'page 2');
    h.fake.submit(dee, cont, {
      'Your interests': 'peer support',
      'Your lived experience': 'epilepsy',
    });
    await eventually(() => latest()?.content.includes('Access needs (step 5 of 7)'), 'the access step');

    await press('Not now', 'copro will not remind you');
    const join = h.fake.command(dee, ['join']);
    await eventually(() => h.fake.visible(join).length > 0, 'the join answer');
    expect(h.fake.visible(join)[0]?.content).toContain('where you left off: step 5 of 7');
    await eventually(() => latest()?.content.includes('Access needs (step 5 of 7)'), 'the step again');

    const consent = h.fake.click(dee, latest()!, 'Yes, I agree');
    await eventually(() => consent.modal, 'the access form');
    h.fake.submit(dee, consent, { 'What helps you take part?': ['papers-early', 'breaks'] });
    await eventually(() => latest()?.content.includes('Would you like a buddy'), 'the buddy step');
    await press('Yes please', 'Shall I say hello');
    await press('No thanks', 'Thank you, Dee!');

    const [stored] = await rows(h.db, 'onboarding_profiles');
    expect(stored).toMatchObject({
      preferred_name: 'Dee',
      timezone: 'Europe/Dublin',
      wants_buddy: true,
      welcome_post: false,
    });
    expect(JSON.stringify(stored)).not.toContain('epilepsy');
    expect(JSON.stringify(stored)).not.toContain('papers');

    const status = h.fake.command(ANN, ['onboarding', 'status']);
    await eventually(() => h.fake.visible(status).length > 0, 'status');
    expect(h.fake.visible(status)[0]?.content).toContain(`<@${dee.user.id}>, on`);
  });

  it('keeps the server nickname when someone presses a button in a direct message', async () => {
    const eve = fakeMember('eve', { nick: 'Eve (carer)', globalName: 'Evelyn Smith' });
    h.fake.memberJoins(eve);
    await eventually(() => h.fake.dmsTo(eve.user.id).at(-1), 'the welcome');
    await h.discord.settled();
    const start = h.fake.click(eve, h.fake.dmsTo(eve.user.id).at(-1)!, 'Start');
    await eventually(() => start.callbacks.length > 0, 'an answer to Start');
    await h.discord.settled();
    const [member] = (await rows(h.db, 'members')).filter((m) => m.user_id === eve.user.id);
    expect(member?.display_name).toBe('Eve (carer)');
  });

  it('refuses the coordinators’ summary to a member, plainly', async () => {
    h.fake.memberJoins(dee);
    await eventually(() => latest(), 'the welcome');
    const needs = h.fake.command(dee, ['onboarding', 'needs']);
    await eventually(() => h.fake.visible(needs).length > 0, 'an answer');
    expect(h.fake.visible(needs)[0]?.content).toContain('Only coordinators can use /copro onboarding needs');
  });
});
