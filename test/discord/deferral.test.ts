import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventHandler } from '../../src/chat/index.js';
import { textMessage } from '../../src/chat/index.js';
import type { Feature } from '../../src/features.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

/**
 * The adapter defers an interaction the core has not answered within `deferAfterMs`. Here that is
 * 50 ms, and a slow answer is held until the fake has seen the deferral, so the order is fixed
 * however busy the machine is. (A fast answer, sent directly, is in commands.test.ts.)
 */
let holdUntil: (() => boolean) | undefined;
const slowly =
  (handle: EventHandler): EventHandler =>
  async (event) => {
    const hold = holdUntil;
    if (hold) await eventually(hold, 'the adapter to defer');
    return handle(event);
  };
/** Hold the core's answer to `record` until the adapter has acknowledged it. */
const slow = <T extends { callbacks: readonly unknown[] }>(record: T): T => {
  holdUntil = () => record.callbacks.length > 0;
  return record;
};

const fixture: Feature = {
  name: 'test fixture',
  commands: {
    'my-data': async (ctx) => {
      await ctx.event.openForm({
        id: 'test.profile',
        title: 'Your profile',
        submitLabel: 'Save',
        fields: [{ kind: 'short', id: 'name', label: 'Your name', maxLength: 80 }],
      });
      return { message: textMessage('Your profile form is open.') };
    },
  },
  forms: { 'test.profile': async () => undefined },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    tuning: { deferAfterMs: 50 },
    wrap: slowly,
    extraFeatures: [fixture],
  });
});
beforeEach(async () => {
  holdUntil = undefined;
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

describe('answers that take longer than Discord waits', () => {
  it('defers a slow command privately, then edits the deferred reply with the answer', async () => {
    // The answer waits until the deferred reply has been seen here, not only by the fake.
    let seen = false;
    holdUntil = () => seen;
    const help = h.fake.command(BO, ['help']);
    await eventually(() => help.callbacks.length > 0, 'a deferral');
    expect(help.callbacks[0]!.type).toBe(5);
    expect(help.original?.deferred).toBe(true);
    seen = true;

    await eventually(() => help.original && !help.original.deferred, 'the edit');
    await h.discord.settled();
    expect(help.callbacks).toHaveLength(1);
    expect(help.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(help.original!.content).toContain('What copro can do');
    expect(h.fake.requestsTo('PATCH', /\/webhooks\/\d+\/[^/]+\/messages\/@original$/)).toHaveLength(1);
  });

  it('posts a slow public answer for everyone, and says so in the private deferred reply', async () => {
    const setup = slow(h.fake.command(ANN, ['setup']));
    await eventually(() => setup.followups.length > 0, 'the public answer');
    await h.discord.settled();
    expect(setup.callbacks.map((c) => c.type)).toEqual([5]);
    expect(setup.original!.content).toBe('Done. The answer is in the channel, for everyone to see.');
    expect(setup.followups[0]!.flags & EPHEMERAL).toBe(0);
    expect(setup.followups[0]!.content).toContain('is set up, with this channel as its home');
  });

  it('offers a button for a form the core asked for after the deferral (a modal must come first)', async () => {
    const setup = h.fake.command(ANN, ['setup']);
    await eventually(() => h.fake.visible(setup).length > 0, 'setup');
    await h.discord.settled();
    const profile = slow(h.fake.command(BO, ['my-data']));
    await eventually(() => h.fake.visible(profile).length > 1, 'the button and the answer');
    await h.discord.settled();
    const [ready] = h.fake.visible(profile);
    expect(ready!.content).toBe('Your profile: your form is ready.');

    holdUntil = undefined;
    const open = h.fake.click(BO, ready!, 'Open the form');
    await eventually(() => open.modal, 'the modal');
    expect(open.modal!.title).toBe('Your profile');
  });

  it('acknowledges a slow button click without changing the message, then answers privately', async () => {
    await h.discord.settled();
    const ref = await h.discord.post(
      { kind: 'channel', channelId: h.fake.channelId },
      {
        text: 'A button nobody handles.',
        blocks: [{ type: 'buttons', buttons: [{ actionId: 'nobody.handles', label: 'Press', value: 'x' }] }],
      },
    );
    const press = slow(h.fake.click(BO, h.fake.messages.get(ref.messageId)!, 'Press'));
    await eventually(() => press.followups.length > 0, 'the answer');
    await h.discord.settled();
    expect(press.callbacks.map((c) => c.type)).toEqual([6]);
    expect(press.followups[0]!.content).toContain('That button no longer works');
    expect(press.followups[0]!.flags & EPHEMERAL).toBe(EPHEMERAL);
  });
});
