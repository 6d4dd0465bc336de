import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DEFAULT_CHECKLIST } from '../../src/onboarding/pack.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { coreWith } from './support.js';

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
  core = coreWith(db, clock);
  await db.startFrom('a group', () => core.say(ann, 'setup --name "Leaflet group"'));
});

describe('the onboarding pack', () => {
  it('has a plain default that says which parts the coordinator has not filled in yet', async () => {
    const { text } = await core.say(ann, 'onboarding show');
    expect(text).toContain(
      'Ask <@ann> about: what the group is for, the time it asks, payment and expenses, and training and support.',
    );
    expect(text).toContain(
      'If you are paid: You may say no or take less. On benefits? Ask Citizens Advice before you accept.',
    );
    expect(text).toContain("What a member does: Takes part in the group's discussions, polls and meetings.");
    expect(text).toContain(
      'Not filled in yet: what the group is for, the time it asks, payment and expenses, and training and support.',
    );
    expect(text).toContain(DEFAULT_CHECKLIST[0]);
  });

  it('is written by a coordinator through a form, and newcomers then read the group’s own words', async () => {
    const { forms } = await core.say(ann, 'onboarding edit');
    const form = forms[0];
    expect(form?.fields.map((f) => f.id)).toEqual([
      'purpose',
      'timeCommitment',
      'contacts',
      'payment',
      'support',
      'selfChosenRoles',
    ]);
    const saved = await core.submit(ann, form, {
      purpose: 'We rewrite hospital leaflets so that patients can understand them.',
      timeCommitment: 'One online meeting a month, 90 minutes.',
      payment: '£25 an hour, travel repaid within two weeks. <!channel> [prize](https://evil.example)',
      selfChosenRoles: 'yes',
    });
    expect(saved.errors).toBeUndefined();
    expect(saved.said[0]?.message.text).toContain('3 of 5 parts are filled in');
    const { text } = await core.say(sam, 'onboarding show');
    expect(text).toContain('We rewrite hospital leaflets');
    expect(text).toContain('£25 an hour');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('](https://');
    expect(text).not.toContain('Not filled in yet'); // only coordinators see what is missing
  });

  it('lets coordinators add and remove checklist items by number', async () => {
    const added = await core.say(ann, 'onboarding checklist add "We reply to every message within a week"');
    expect(added.text).toContain('Added as item 5');
    const removed = await core.say(ann, 'onboarding checklist remove 1');
    expect(removed.text).toContain(`Removed item 1: “${DEFAULT_CHECKLIST[0]}”`);
    expect(removed.text).toContain('4. We reply to every message within a week');
    const wrong = await core.say(ann, 'onboarding checklist remove 9');
    expect(wrong.text).toContain('Please give a number from 1 to 4');
    const word = await core.say(ann, 'onboarding checklist remove two');
    expect(word.text).toMatch(/^Please give a whole number, not "two": the item number\.\n/);
  });

  it('says a checklist item’s limit as every other limit is said, and shows items as typed', async () => {
    const long = await core.say(ann, `onboarding checklist add "${'x'.repeat(201)}"`);
    expect(long.text).toBe('Please keep this to 200 characters or fewer (it has 201).');
    const added = await core.say(ann, 'onboarding checklist add "We reply *fast* <!channel>"');
    const shown = JSON.stringify(added.said[0]?.message.blocks);
    expect(shown).toContain('5. We reply \\\\*fast\\\\* !channel');
    expect(shown).not.toContain('<!channel>');
  });

  it('says what a member does in the group’s own words, once the member role is reworded', async () => {
    await core.say(
      ann,
      'role define member "Reads leaflets and tells us what is unclear, at home, in your own time."',
    );
    const { text } = await core.say(sam, 'onboarding show');
    expect(text).toContain(
      'What a member does: Reads leaflets and tells us what is unclear, at home, in your own time.',
    );
  });

  it('refuses pack changes from a member, and names who can make them', async () => {
    await core.joined(sam);
    const { text } = await core.say(sam, 'onboarding checklist add "Anything"');
    expect(text).toContain('Only coordinators can use /copro onboarding checklist add. Ask <@ann>');
    const edit = await core.say(sam, 'onboarding edit');
    expect(edit.forms).toHaveLength(0);
  });

  it('skips the checklist step once every item is removed', async () => {
    for (let i = 0; i < DEFAULT_CHECKLIST.length; i++) await core.say(ann, 'onboarding checklist remove 1');
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    const pack = await core.press(sam, welcome, 'Start');
    const next = await core.press(sam, pack.message, 'I have read this');
    expect(next.message?.text).toContain('Your profile (step 3 of 6)');
  });
});
