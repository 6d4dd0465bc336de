import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { rows } from '../slack/harness.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { buttonsOf, coreWith } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam', { timezone: 'Europe/Paris' });
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

const journeyOf = async (userId: string) => {
  const [row] = await db.db
    .select({ journey: schema.onboardingJourneys })
    .from(schema.onboardingJourneys)
    .innerJoin(schema.members, eq(schema.members.id, schema.onboardingJourneys.memberId))
    .where(eq(schema.members.userId, userId));
  return row?.journey;
};

/** From joining to the profile step: welcome, pack and every checklist item. */
async function throughChecklist() {
  await core.joined(sam);
  const [welcome] = await core.dms('sam');
  let { message } = await core.press(sam, welcome, 'Start');
  expect(message?.text).toContain('About Leaflet group');
  ({ message } = await core.press(sam, message, 'I have read this'));
  while (message?.text.includes('Choices: I agree,'))
    ({ message } = await core.press(sam, message, 'I agree'));
  return message;
}

describe('the newcomer’s journey, one step at a time', () => {
  it('starts with a welcome direct message when someone joins the channel, with Start and Not now', async () => {
    await core.joined(sam, 'join-1');
    await core.joined(sam, 'join-1'); // the platform delivers the same event again
    const dms = await core.dms('sam');
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toContain('Welcome to Leaflet group');
    expect(dms[0]?.text).toContain('Ask <@ann>, the coordinator');
    expect(dms[0]?.text).toContain('/copro join');
    expect(buttonsOf(dms[0]).map((b) => b.label)).toEqual(['Start', 'Not now']);
    await core.dispatcher.dispatchDue();
    expect(core.platform.posts()[0]?.to).toMatchObject({ kind: 'dm', userId: 'sam' });
  });

  it('walks through the pack, each expectation, profile, access needs, buddy and a hello, then says what happens next', async () => {
    const profileStep = await throughChecklist();
    const journey = await journeyOf('sam');
    expect(journey?.confirmed).toHaveLength(4);
    expect(profileStep?.text).toContain('Your profile (step 4 of 7)');

    const opened = await core.press(sam, profileStep, 'Fill in my profile');
    const form = opened.forms[0];
    expect(form?.fields.find((f) => f.id === 'timezone')).toMatchObject({ initial: 'Europe/Paris' });
    const saved = await core.submit(sam, form, {
      name: 'Sammy',
      pronouns: 'they/them',
      timezone: 'europe/london',
      contact: 'chat',
      often: 'weekly',
      interests: 'Mental health, writing, mental health',
      lived: 'diabetes',
    });
    expect(saved.errors).toBeUndefined();
    const accessStep = (await core.dms('sam')).at(-1);
    expect(accessStep?.text).toContain('Access needs (step 5 of 7)');
    expect(accessStep?.text).toContain('Only you and the coordinators see it');

    const consent = await core.press(sam, accessStep, 'Yes, I agree');
    await core.submit(sam, consent.forms[0], {
      needs: ['papers-early', 'large-print'],
      other: 'Mornings are hard for me',
      named: ['yes'],
    });
    const buddyStep = (await core.dms('sam')).at(-1);
    expect(buddyStep?.text).toContain('Would you like a buddy');

    const hello = await core.press(sam, buddyStep, 'Yes please');
    expect(hello.message?.text).toContain('Shall I say hello');
    const done = await core.press(sam, hello.message, 'Yes please');
    expect(done.message?.text).toContain('Thank you, Sammy!');
    expect(done.message?.text).toContain('A coordinator will find you a buddy soon.');
    expect(done.message?.text).toContain('/copro profile');

    expect((await journeyOf('sam'))?.finishedAt).toEqual(clock.now());
    const posts = await core.channelPosts();
    expect(posts.map((p) => p.text)).toContain(
      'Please welcome Sammy (<@sam>), who has just joined Leaflet group. Hello and welcome!',
    );
    const [profile] = await db.db.select().from(schema.onboardingProfiles);
    expect(profile).toMatchObject({
      preferredName: 'Sammy',
      timezone: 'Europe/London',
      interests: ['mental health', 'writing'],
      wantsBuddy: true,
      accessNeedsNamed: true,
    });
    const roles = await db.db.select().from(schema.roleAssignments);
    expect(roles.some((r) => r.roleKey === 'member' && r.memberId === profile?.memberId)).toBe(true);
  });

  it('keeps the form open with a plain explanation when the timezone is not one copro knows', async () => {
    const profileStep = await throughChecklist();
    const opened = await core.press(sam, profileStep, 'Fill in my profile');
    const saved = await core.submit(sam, opened.forms[0], { name: 'Sam', timezone: 'Narnia/Lantern' });
    expect(saved.errors?.timezone).toContain('"Narnia/Lantern" is not a timezone copro knows');
    expect(await db.db.select().from(schema.onboardingProfiles)).toHaveLength(0);
  });

  it('refuses EST in the profile, as setup does, and suggests a place with summer time', async () => {
    const profileStep = await throughChecklist();
    const opened = await core.press(sam, profileStep, 'Fill in my profile');
    const saved = await core.submit(sam, opened.forms[0], { name: 'Sam', timezone: 'EST' });
    expect(saved.errors?.timezone).toContain('"EST" is a fixed offset with no summer time');
    expect(saved.errors?.timezone).toContain('America/New_York');
    expect(await db.db.select().from(schema.onboardingProfiles)).toHaveLength(0);
  });

  it('stores no access needs and no consent when the member says no thanks', async () => {
    const profileStep = await throughChecklist();
    const skipped = await core.press(sam, profileStep, 'Skip');
    const buddy = await core.press(sam, skipped.message, 'No thanks');
    expect(buddy.message?.text).toContain('Would you like a buddy');
    const [profile] = await db.db.select().from(schema.onboardingProfiles);
    expect(profile?.accessNeedsSealed ?? null).toBeNull();
    expect(profile?.accessConsentAt ?? null).toBeNull();
  });

  it('lets a member stop with Not now and carry on later from the same place with /copro join', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    const pack = await core.press(sam, welcome, 'Start');
    const first = await core.press(sam, pack.message, 'I have read this');
    const second = await core.press(sam, first.message, 'I agree');
    const paused = await core.press(sam, second.message, 'Not now');
    expect(paused.message?.text).toContain('Your answers so far are kept');
    expect((await journeyOf('sam'))?.pausedAt).not.toBeNull();

    const back = await core.say(sam, 'join');
    expect(back.text).toContain('where you left off: step 3 of 7');
    const resent = (await core.dms('sam')).at(-1);
    expect(resent?.text).toContain('2 of 4');
    expect((await journeyOf('sam'))?.pausedAt).toBeNull();
  });

  it('shows where the member really is when an old message’s button is pressed', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    await core.press(sam, welcome, 'Start');
    const again = await core.press(sam, welcome, 'Start');
    expect(again.message?.text).toContain('About Leaflet group');
    expect((await journeyOf('sam'))?.step).toBe('pack');
  });

  it('starts from /copro join for someone who was in the channel before, and says so when they have finished', async () => {
    const first = await core.say(sam, 'join');
    expect(first.text).toContain('I have sent you a direct message');
    expect((await core.dms('sam'))[0]?.text).toContain('Welcome to Leaflet group');
    await db.db.update(schema.onboardingJourneys).set({ finishedAt: clock.now(), step: 'done' });
    const after = await core.say(sam, 'join');
    expect(after.text).toContain('You have already finished');
  });

  it('does not let someone outside the group press another person’s buttons', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    const stranger = person('Zed', { workspaceId: 'other' });
    const { said } = await core.press(stranger, welcome, 'Start');
    expect(said[0]?.message.text).toContain('This is for members of Leaflet group');
    expect((await journeyOf('sam'))?.step).toBe('welcome');
  });
});

describe('what a newcomer reads', () => {
  it('says "Welcome back" only to someone who was here before, not on a first /copro join after joining', async () => {
    await core.joined(sam);
    const first = await core.say(sam, 'join');
    expect(first.text).toMatch(/^Welcome! I have sent you a direct message/);
    const [welcome] = await core.dms('sam');
    await core.press(sam, welcome, 'Start');
    const again = await core.say(sam, 'join');
    expect(again.text).toMatch(/^Welcome back\. I have sent you a direct message where you left off: step 2/);
  });

  it('names the group once in the welcome: a heading, not the same words twice', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    expect(welcome?.text.match(/Welcome to Leaflet group/g)).toHaveLength(1);
  });

  it('shows where the welcome stands in /copro profile in plain words, not step names', async () => {
    await core.joined(sam);
    expect((await core.say(sam, 'profile')).text).toContain(
      'Your welcome to the group: you are at "the first hello". Type /copro join to carry on.',
    );
    const profileStep = await throughChecklist();
    const access = await core.press(sam, profileStep, 'Skip');
    const buddy = await core.press(sam, access.message, 'No thanks');
    await core.press(sam, buddy.message, 'No thanks');
    const text = (await core.say(sam, 'profile')).text;
    expect(text).toContain('Your welcome to the group: you are at "saying hello to the group".');
    expect(text).not.toContain('Onboarding:');
  });

  it('shows what coordinators and members wrote exactly as typed, never as a ping or a link', async () => {
    const { forms } = await core.say(ann, 'onboarding edit');
    await core.submit(ann, forms[0], {
      purpose: 'We review leaflets *together*',
      payment: '£25 an hour | paid monthly ~ by bank',
      selfChosenRoles: 'no',
    });
    await core.say(ann, 'onboarding checklist add "We reply within a week _always_"');
    await db.db.update(schema.groups).set({ name: 'Leaflet *group*' });
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    expect(welcome?.blocks?.[0]).toEqual({ type: 'heading', text: 'Welcome to Leaflet \\*group\\*' });
    const pack = await core.press(sam, welcome, 'Start');
    const body = JSON.stringify(pack.message?.blocks);
    expect(body).toContain('We review leaflets \\\\*together\\\\*');
    expect(body).toContain('£25 an hour \\\\| paid monthly \\\\~ by bank');
    const profile = await core.press(sam, pack.message, 'I have read this');
    let message = profile.message;
    while (message?.text.includes('Choices: I agree,') && !message.text.includes('within a week'))
      ({ message } = await core.press(sam, message, 'I agree'));
    expect(JSON.stringify(message?.blocks)).toContain('We reply within a week \\\\_always\\\\_');
  });
});

describe('a role chosen by the newcomer', () => {
  it('offers to show a private role to the group, as a role given by a coordinator does', async () => {
    const { forms } = await core.say(ann, 'onboarding edit');
    await core.submit(ann, forms[0], { selfChosenRoles: 'yes' });
    const profileStep = await throughChecklist();
    const access = await core.press(sam, profileStep, 'Skip');
    const buddy = await core.press(sam, access.message, 'No thanks');
    const role = await core.press(sam, buddy.message, 'No thanks');
    expect(role.message?.text).toContain('You choose later whether the group sees yours.');
    await core.press(sam, role.message, 'carer');
    const note = (await core.dms('sam')).at(-1);
    expect(note?.text).toContain('You chose the role carer in Leaflet group. It is private');
    const shown = await core.press(sam, note, 'Show the group I am a carer');
    expect(shown.message?.text).toContain(
      'Done: everyone in Leaflet group can now see that you are a carer.',
    );
  });

  it('is offered only when coordinators allow it, is given on choosing, and is never announced', async () => {
    const { forms } = await core.say(ann, 'onboarding edit');
    await core.submit(ann, forms[0], { selfChosenRoles: 'yes' });
    const profileStep = await throughChecklist();
    expect(profileStep?.text).toContain('step 4 of 8');
    const access = await core.press(sam, profileStep, 'Skip');
    const buddy = await core.press(sam, access.message, 'No thanks');
    const role = await core.press(sam, buddy.message, 'No thanks');
    expect(role.message?.text).toContain('Would you like to add a role that describes you?');
    const hello = await core.press(sam, role.message, 'carer');
    const done = await core.press(sam, hello.message, 'Yes please');
    expect(done.message?.text).toContain('You are all set');
    const roles = await db.db.select().from(schema.roleAssignments);
    expect(roles.map((r) => r.roleKey)).toContain('carer');
    const posts = (await core.channelPosts()).map((p) => p.text).join('\n');
    expect(posts).toContain('Please welcome Sam');
    expect(posts).not.toContain('carer');
  });
});

describe('the weekly digest', () => {
  it('counts who joined and who finished their welcome, and names nobody in that part', async () => {
    const profileStep = await throughChecklist();
    const access = await core.press(sam, profileStep, 'Skip');
    const buddy = await core.press(sam, access.message, 'No thanks');
    const hello = await core.press(sam, buddy.message, 'No thanks');
    await core.press(sam, hello.message, 'No thanks');
    clock.advance(3_600_000);
    const { text } = await core.say(ann, 'digest preview');
    const section = text.slice(text.indexOf('Welcoming newcomers'));
    expect(section).toContain(
      'Welcoming newcomers:\n- 2 people joined the group this week.\n- 1 person finished their welcome this week.',
    );
    expect(section).not.toContain('Sam');
    expect(section).not.toContain('sam');
  });
});

describe('the Home tab', () => {
  it('says where the member is in their welcome, and nothing once they have finished', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    await core.press(sam, welcome, 'Start');
    const shown: string[] = [];
    const open = () =>
      core.app.handle({
        kind: 'homeOpened',
        id: `home-${Math.random()}`,
        actor: sam,
        show: async (m) => void shown.push(m.text),
      });
    await open();
    expect(shown[0]).toContain(
      'Your welcome to Leaflet group is at step 2 of 7. Type /copro join to carry on',
    );
    await db.db.update(schema.onboardingJourneys).set({ finishedAt: clock.now(), step: 'done' });
    await open();
    expect(shown[1]).not.toContain('Your welcome');
  });
});

describe('special-category data at rest', () => {
  it('keeps access needs and lived experience only as ciphertext in the database', async () => {
    const profileStep = await throughChecklist();
    const opened = await core.press(sam, profileStep, 'Fill in my profile');
    await core.submit(sam, opened.forms[0], {
      name: 'Sam',
      timezone: 'Europe/London',
      lived: 'Type 1 diabetes',
    });
    const accessStep = (await core.dms('sam')).at(-1);
    const consent = await core.press(sam, accessStep, 'Yes, I agree');
    await core.submit(sam, consent.forms[0], { needs: ['large-print'], other: 'I use a wheelchair' });
    const [raw] = await rows(db, 'onboarding_profiles');
    const dump = JSON.stringify(raw).toLowerCase();
    for (const secret of ['diabetes', 'wheelchair', 'large-print', 'large print'])
      expect(dump).not.toContain(secret);
    expect(String(raw?.access_needs_sealed)).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(String(raw?.lived_experience_sealed)).toMatch(/^v2\.[0-9a-f]{8}\./);
  });
});

describe('without an encryption key', () => {
  beforeEach(async () => {
    core = coreWith(db, clock, { encryptionKey: null });
  });

  it('does not ask for access needs or lived experience, and tells the coordinator why, once', async () => {
    const profileStep = await throughChecklist();
    expect(profileStep?.text).toContain('step 4 of 6');
    const opened = await core.press(sam, profileStep, 'Fill in my profile');
    expect(opened.forms[0]?.fields.map((f) => f.id)).not.toContain('lived');
    await core.submit(sam, opened.forms[0], { name: 'Sam', timezone: 'Europe/London' });
    expect((await core.dms('sam')).at(-1)?.text).toContain('Would you like a buddy');
    await core.joined(person('Bo'));
    const notes = (await core.dms('ann')).filter((m) => m.text.includes('COPRO_ENCRYPTION_KEY'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.text).toBe(
      'About welcoming newcomers to Leaflet group: copro is not asking them about access needs or lived experience. ' +
        'That is health information. copro only keeps it locked with a secret key, and no key has been set up. ' +
        'Whoever runs copro can make one: the setting COPRO_ENCRYPTION_KEY (the Start section of copro’s README shows how). ' +
        'From then on, newcomers are asked. The rest of the welcome works as usual.',
    );
  });
});
