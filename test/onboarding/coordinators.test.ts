import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { coreWith } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');
const cy = person('Cy');
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  core = coreWith(db, clock);
  await db.startFrom('a group', () => core.say(ann, 'setup --name "Leaflet group"'));
});

/** Through to the access step, then share needs (or not) and carry on to the buddy question. */
async function shareNeeds(actor: Actor, needs: string[], named: boolean) {
  await core.joined(actor);
  let message = (await core.dms(actor.userId))[0];
  ({ message } = await core.press(actor, message, 'Start'));
  ({ message } = await core.press(actor, message, 'I have read this'));
  while (message?.text.includes('Choices: I agree,'))
    ({ message } = await core.press(actor, message, 'I agree'));
  ({ message } = await core.press(actor, message, 'Skip'));
  const consent = await core.press(actor, message, 'Yes, I agree');
  await core.submit(actor, consent.forms[0], { needs, named: named ? ['yes'] : [] });
}

describe('coordinators', () => {
  it('see who is at which step since when, who chose Not now, and who has finished', async () => {
    await core.joined(sam);
    clock.set('2026-11-24T09:00:00Z');
    await core.joined(bo);
    const [welcome] = await core.dms('bo');
    await core.press(bo, welcome, 'Not now');
    await core.say(cy, 'roles'); // in the channel, but never started a welcome
    const { text } = await core.say(ann, 'onboarding status');
    expect(text).toContain('<@sam>: at step 1 of 7 (the first hello) since Mon 23 Nov');
    expect(text).toContain('<@bo>: chose "Not now" at step 1 of 7 (the first hello) on Tue 24 Nov');
    expect(text).toContain('Finished (0)');
    expect(text).toContain('Not started (1): <@cy>');
  });

  it('get an anonymous summary of access needs, with names only for members who allowed it', async () => {
    await shareNeeds(sam, ['papers-early', 'large-print'], true);
    await shareNeeds(bo, ['papers-early'], false);
    const { text } = await core.say(ann, 'onboarding needs');
    expect(text).toContain('From 2 members who shared them');
    expect(text).toContain('- 2 members asked for papers a week ahead');
    expect(text).toContain('- 1 member asked for large print');
    expect(text).toContain('<@sam>: papers a week ahead; large print');
    expect(text).not.toContain('<@bo>');
  });

  it('are the only ones who can see status and needs', async () => {
    await shareNeeds(sam, ['captions'], true);
    await core.joined(cy);
    for (const command of ['onboarding status', 'onboarding needs']) {
      const { text } = await core.say(cy, command);
      expect(text).toContain(`Only coordinators can use /copro ${command}`);
      expect(text).not.toContain('captions');
    }
  });

  it('no longer see a member’s needs once the member withdraws consent', async () => {
    await shareNeeds(sam, ['captions'], true);
    const shown = await core.say(sam, 'profile');
    expect(shown.text).toContain('Access needs: captions');
    const withdrawn = await core.press(
      sam,
      shown.said[0]?.message,
      'Withdraw consent and delete my access needs',
    );
    expect(withdrawn.said[0]?.message.text).toContain('your access needs are deleted');
    const { text } = await core.say(ann, 'onboarding needs');
    expect(text).toContain('Nobody has shared access needs yet');
    const after = await core.say(sam, 'profile');
    expect(after.text).toContain('Access needs: none stored');
  });
});

describe('/copro profile', () => {
  it('shows every answer privately and lets the member change them later', async () => {
    await shareNeeds(sam, ['breaks'], false);
    const shown = await core.say(sam, 'profile');
    expect(shown.said[0]?.private).toBe(true);
    expect(shown.text).toContain('Your welcome to the group: you are at "whether to have a buddy"');
    const opened = await core.press(sam, shown.said[0]?.message, 'Change my profile');
    const saved = await core.submit(sam, opened.forms[0], {
      name: 'Sam B',
      timezone: 'America/New_York',
      interests: 'gardening',
    });
    expect(saved.said[0]?.message.text).toContain('Saved: your profile is up to date.');
    const again = await core.say(sam, 'profile');
    expect(again.text).toContain('Name: Sam B');
    expect(again.text).toContain('Timezone: America/New_York');
    expect(again.text).toContain('Interests: gardening');
    const buddy = await core.press(sam, again.said[0]?.message, 'I would like a buddy');
    expect(buddy.said[0]?.message.text).toContain('you would like a buddy');
  });

  it('asks for consent in the access form itself when the member has not given it, and not again when they have', async () => {
    await shareNeeds(sam, ['captions'], false);
    const consentHint = 'Saving means you agree to copro keeping them';
    const hintOf = (form: { fields: readonly { id: string; hint?: string }[] } | undefined) =>
      form?.fields.find((f) => f.id === 'needs')?.hint ?? '';
    const shown = await core.say(sam, 'profile');
    const change = await core.press(sam, shown.said[0]?.message, 'Change my access needs');
    expect(hintOf(change.forms[0])).not.toContain(consentHint);
    await core.press(sam, shown.said[0]?.message, 'Withdraw consent and delete my access needs');
    const after = await core.say(sam, 'profile');
    const fresh = await core.press(sam, after.said[0]?.message, 'Change my access needs');
    expect(hintOf(fresh.forms[0])).toContain(consentHint);
    expect(hintOf(fresh.forms[0])).toContain('Only you and the coordinators see them');
  });
});

describe('coordinators of a copro without an encryption key', () => {
  it('read in status and needs why access needs are not asked, and where to see how to set it up', async () => {
    core = coreWith(db, clock, { encryptionKey: null });
    await core.joined(sam);
    for (const command of ['onboarding status', 'onboarding needs']) {
      const { text } = await core.say(ann, command);
      expect(text).toContain(
        'Newcomers are not asked about access needs. copro only keeps them locked with a secret key, and no key is set up.',
      );
      expect(text).toContain('the Start section of copro’s README shows how');
    }
  });
});
