import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { InteractionRecord, StoredMessage } from '../support/fake-discord.js';
import { eventually } from '../support/fake-discord-driver.js';
import { type FakeMember, fakeMember } from '../support/fake-discord-payloads.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * The whole life of a ranked, anonymous poll with a deadline, as members live it on Discord:
 * ranked through the form, closed by the scheduler when its time comes, its results read plainly.
 * The clock is fixed and moved by hand; the scheduler and dispatcher run when the test says.
 */
const EPHEMERAL = 64;
const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
let h: Harness;

const DI = fakeMember('di');
const ED = fakeMember('ed');
const FAY = fakeMember('fay');
const GUS = fakeMember('gus');
const EXPERTS = [BO, CY, DI];
const RESEARCHERS = [ED, FAY, GUS];
const VOTERS = [...EXPERTS, ...RESEARCHERS];
const PLACES = ['Your 1st priority', 'Your 2nd priority', 'Your 3rd priority'];

beforeAll(async () => {
  h = await startHarness({ clock });
});
beforeEach(async () => {
  await h.reset();
  clock.set('2026-11-23T10:00:00Z');
  await answerTo(h.fake.command(ANN, ['setup']));
  for (const who of EXPERTS)
    await answerTo(h.fake.command(ANN, ['role', 'add'], { user: who, role: 'expert by experience' }));
  for (const who of RESEARCHERS)
    await answerTo(h.fake.command(ANN, ['role', 'add'], { user: who, role: 'researcher' }));
});
afterAll(async () => {
  await h.close();
});

/** The first message a person sees in answer to a command, click or form. */
async function answerTo(record: InteractionRecord): Promise<StoredMessage> {
  const [first] = await eventually(
    () => h.fake.visible(record).length > 0 && h.fake.visible(record),
    'an answer',
  );
  await h.discord.settled();
  return first!;
}

/** Presses "Rank the options" and fills the form with option indexes in order of priority. */
async function rank(who: FakeMember, ranking: number[], poll: StoredMessage) {
  clock.advance(60_000); // members take their time
  const opened = h.fake.click(who, poll, 'Rank the options');
  await eventually(() => opened.modal, 'the ranking form');
  const answers = Object.fromEntries(ranking.map((option, place) => [PLACES[place]!, [String(option)]]));
  const thanks = await answerTo(h.fake.submit(who, opened, answers));
  expect(thanks.flags & EPHEMERAL).toBe(EPHEMERAL);
  return { form: opened.modal!, thanks: thanks.content };
}

describe('a ranked, anonymous poll with a deadline on Discord', () => {
  it('is ranked by six members through the form, closes by itself on time, and reads plainly by role', async () => {
    const started = await answerTo(
      h.fake.command(ANN, ['poll', 'new'], {
        question: 'What should we study first?',
        options: 'Sleep; Pain; Fatigue',
        ranked: true,
        anonymous: true,
        closes: '2d',
      }),
    );
    expect(started.content).toMatch(
      /^Your poll P\w+ is posted in <#\d+>\. It closes Wednesday 25 November at 10:00/,
    );
    const [poll] = h.fake.messagesIn(h.fake.channelId);
    const code = /Poll (P\w+)/.exec(poll!.content)?.[1];
    expect(poll!.content).toContain(
      'Anonymous: no one can see who voted for what. Not even coordinators can.',
    );

    // Experts by experience rank Pain first; researchers mostly Sleep. Gus changes his mind.
    await rank(BO, [1, 2, 0], poll!);
    await rank(CY, [1, 0], poll!);
    await rank(DI, [2, 1, 0], poll!);
    await rank(ED, [0, 1, 2], poll!);
    await rank(FAY, [0, 2], poll!);
    await rank(GUS, [2, 1, 0], poll!);
    const again = await rank(GUS, [1, 0, 2], poll!);
    const first = (
      again.form.components[0] as { component: { options: { value: string; default?: boolean }[] } }
    ).component;
    expect(first.options.filter((o) => o.default).map((o) => o.value)).toEqual(['2']); // his earlier choice
    expect(again.thanks).toContain('1. Pain, 2. Sleep, 3. Fatigue');

    clock.advance(60_000);
    await h.dispatcher.dispatchDue();
    expect(poll!.content).toContain('6 people voted so far.');

    // A day before the close, the only member who has not voted (Ann) gets a reminder.
    clock.set('2026-11-24T10:00:00Z');
    await h.scheduler.runDue();
    await h.dispatcher.dispatchDue();
    expect(h.fake.dmsTo(ANN.user.id).map((m) => m.content.slice(0, 19))).toEqual(['A gentle reminder f']);
    // Voters get no reminder (experts by experience did get word of their private role earlier).
    for (const who of VOTERS)
      expect(h.fake.dmsTo(who.user.id).filter((m) => m.content.includes('reminder'))).toEqual([]);

    clock.set('2026-11-25T09:59:00Z');
    expect(await h.scheduler.runDue()).toMatchObject({ done: 0 });
    await h.dispatcher.dispatchDue();
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(1);

    clock.set('2026-11-25T10:00:00Z');
    expect(await h.scheduler.runDue()).toMatchObject({ done: 1 });
    await h.dispatcher.dispatchDue();
    expect(poll!.content).toContain(`Poll ${code} (closed): What should we study first?`);
    expect(poll!.components).toEqual([]);
    const closing = await answerTo(h.fake.command(ANN, ['poll', 'close'], { poll: code! }));
    expect(closing.content).toBe(`Poll ${code} is already closed. Nothing changed.`);

    const [, results] = h.fake.messagesIn(h.fake.channelId);
    // Borda points with three options (2, 1, 0): Pain 8, Sleep 6, Fatigue 4.
    expect(results?.content.split('\n').filter((line) => line.trim() !== '')).toEqual([
      `## Poll ${code} has closed: What should we study first?`,
      'Top priority: **Pain**.',
      '1. **Pain**: 8 points (first choice of 3 people)',
      '2. **Sleep**: 6 points (first choice of 2 people)',
      '3. **Fatigue**: 4 points (first choice of 1 person)',
      '**How each role voted**',
      '- expert by experience (3 people): 1. Pain, 2. Fatigue, 3. Sleep',
      '- researcher (3 people): 1. Sleep, 2. Pain, 3. Fatigue',
      "Roles with fewer than 3 voters are counted only in the total, so nobody's vote can be worked out.",
      '-# 6 of 7 members voted (86%). Thank you to everyone who took part.',
    ]);

    // Every version of the poll message and its results: no voter named.
    const edits = h.fake.requestsTo('PATCH', new RegExp(`^/channels/${h.fake.channelId}/messages/`));
    expect(edits.length).toBeGreaterThan(1);
    const everything = JSON.stringify([
      ...h.fake.requestsTo('POST', new RegExp(`^/channels/${h.fake.channelId}/messages$`)).map((r) => r.body),
      ...edits.map((r) => r.body),
    ]);
    expect(everything).toContain(`Poll ${code}`);
    for (const who of VOTERS) expect(everything).not.toMatch(new RegExp(`<@!?${who.user.id}>`));
  });
});
