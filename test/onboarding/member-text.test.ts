import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Actor, Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { coreWith } from './support.js';

// What a member types into the welcome's forms reaches nobody as a ping, a link or formatting.
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

/** From joining to the profile form. */
async function toProfileForm(actor: Actor) {
  await core.joined(actor);
  let message = (await core.dms(actor.userId))[0];
  ({ message } = await core.press(actor, message, 'Start'));
  ({ message } = await core.press(actor, message, 'I have read this'));
  while (message?.text.includes('Choices: I agree,'))
    ({ message } = await core.press(actor, message, 'I agree'));
  return (await core.press(actor, message, 'Fill in my profile')).forms[0];
}

const everything = (messages: readonly (Message | undefined)[]) => JSON.stringify(messages);

describe('text a newcomer types', () => {
  it('pings nobody and makes no link, in the welcome, the hello in the channel, the profile or the coordinators’ summary', async () => {
    const form = await toProfileForm(sam);
    const saved = await core.submit(sam, form, {
      name: '<!channel> Sam',
      timezone: 'Europe/London',
      interests: '[Claim your prize](https://evil.example), <@U123|boss>',
      lived: '<!everyone> diabetes',
    });
    expect(saved.errors).toBeUndefined();
    const access = await core.press(sam, (await core.dms('sam')).at(-1), 'Yes, I agree');
    await core.submit(sam, access.forms[0], {
      needs: ['captions'],
      other: '<!here> *bold* [help](https://evil.example)',
      named: ['yes'],
    });
    const buddy = await core.press(sam, (await core.dms('sam')).at(-1), 'No thanks');
    const done = await core.press(sam, buddy.message, 'Yes please');
    const profile = await core.say(sam, 'profile');
    const needs = await core.say(ann, 'onboarding needs');

    const seen = everything([
      done.message,
      ...(await core.channelPosts()),
      ...profile.said.map((s) => s.message),
      ...needs.said.map((s) => s.message),
    ]);
    for (const ping of ['<!channel>', '<!everyone>', '<!here>', '<@U123']) expect(seen).not.toContain(ping);
    expect(seen).not.toContain('](https://');
    expect(seen).not.toContain(' *bold*');
    expect(needs.text).toContain('<@sam>: captions; in their own words:');
    expect(profile.text).toContain('captions; in your own words:');
    expect(done.message?.text).toContain('Thank you, !channel Sam');
  });

  it('asks again for an answer with a hidden control character, rather than failing to save it', async () => {
    const form = await toProfileForm(sam);
    const saved = await core.submit(sam, form, {
      name: 'Sam',
      pronouns: 'she\u0000her',
      timezone: 'Europe/London',
    });
    expect(saved.errors).toEqual({
      pronouns:
        'This has a hidden control character in it (this can happen when text is copied and pasted), and copro cannot keep it. Please type it again rather than pasting it.',
    });
    expect(await db.db.select().from(schema.onboardingProfiles)).toHaveLength(0);
  });

  it('is kept to each answer’s limit, with a plain answer that says the limit, and nothing saved', async () => {
    const form = await toProfileForm(sam);
    const saved = await core.submit(sam, form, {
      name: 'Sam',
      timezone: 'Europe/London',
      interests: 'x'.repeat(301),
    });
    expect(saved.errors).toEqual({ interests: 'Please keep this to 300 characters or fewer (it has 301).' });
    expect(await db.db.select().from(schema.onboardingProfiles)).toHaveLength(0);
  });
});
