import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unlimited } from '../../src/jobs/index.js';
import type { StoredMessage } from '../support/fake-discord.js';
import { eventually } from '../support/fake-discord-driver.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/** Polls end to end on Discord: the real poll feature, its outbox messages, buttons and forms. */
const EPHEMERAL = 64;
let h: Harness;

beforeAll(async () => {
  // Every test posts in the same channel within a few seconds: Discord's per-channel limit (5 in
  // 5 s) would hold back later tests' messages. The deadline tests keep the real limits.
  h = await startHarness({ limits: unlimited });
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

async function answerTo(record: ReturnType<Harness['fake']['command']>) {
  const [first] = await eventually(
    () => h.fake.visible(record).length > 0 && h.fake.visible(record),
    'an answer',
  );
  await h.discord.settled();
  return first!;
}

async function newPoll(options: Record<string, string | boolean>): Promise<StoredMessage> {
  const answer = await answerTo(h.fake.command(BO, ['poll', 'new'], options));
  expect(answer.content).toMatch(/^Your poll \w+ is posted/);
  const [poll] = h.fake.messagesIn(h.fake.channelId);
  return poll!;
}

describe('polls on Discord', () => {
  it('posts a poll from answers typed with ";", and updates it in place when someone votes', async () => {
    const poll = await newPoll({ question: 'Which day suits you?', options: 'Monday; Wednesday ;Friday' });
    expect(poll.content).toContain('Which day suits you?');
    expect(poll.flags & EPHEMERAL).toBe(0);
    const labels = poll.components.flatMap((row) => row.components.map((c: { label: string }) => c.label));
    expect(labels).toEqual(['Monday', 'Wednesday', 'Friday']);

    const vote = h.fake.click(CY, poll, 'Wednesday');
    const thanks = await answerTo(vote);
    expect(thanks.content).toBe(
      'Thank you. You voted "Wednesday" on "Which day suits you?". You can change your vote until the poll closes.',
    );
    expect(thanks.flags & EPHEMERAL).toBe(EPHEMERAL);

    await h.dispatcher.dispatchDue();
    expect(poll.edits).toBe(1);
    expect(poll.content).toContain('**Wednesday**: 1 vote (100%)');
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(1);
  });

  it('fits a poll with twenty answers in one message: four rows of five buttons', async () => {
    const answers = Array.from({ length: 20 }, (_, i) => `Answer ${i + 1}`);
    const poll = await newPoll({ question: 'Pick any', options: answers.join('; '), multi: true });
    expect(poll.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5]);
  });

  it('takes a ranking through a Discord form, one select per place', async () => {
    const poll = await newPoll({
      question: 'What matters most?',
      options: 'Travel; Payment; Timing',
      ranked: true,
    });
    const rank = h.fake.click(CY, poll, 'Rank the options');
    await eventually(() => rank.modal, 'the ranking form');
    expect(rank.modal!.title).toBe('Rank the options');
    expect(rank.modal!.components).toHaveLength(3);

    const submitted = h.fake.submit(CY, rank, {
      'Your 1st priority': ['1'],
      'Your 2nd priority': ['0'],
    });
    const thanks = await answerTo(submitted);
    expect(thanks.content).toBe(
      'Thank you. Your priorities for "What matters most?": 1. Payment, 2. Travel. You can change them until the poll closes.',
    );
    // The private thanks is a message of its own: the public poll it came from is left as it was.
    expect(thanks.id).not.toBe(poll.id);
    expect(poll.components).toHaveLength(1);
  });
});

describe('a poll from start to finish on Discord', () => {
  it('moves a changed vote, and on /copro poll close posts the results and shows the poll closed without buttons', async () => {
    const poll = await newPoll({ question: 'Which day suits you?', options: 'Monday; Wednesday' });
    const code = /Poll (P\w+)/.exec(poll.content)?.[1];

    expect((await answerTo(h.fake.click(CY, poll, 'Monday'))).content).toContain('You voted "Monday"');
    await h.dispatcher.dispatchDue();
    expect(poll.content).toContain('**Monday**: 1 vote (100%)');
    expect((await answerTo(h.fake.click(CY, poll, 'Wednesday'))).content).toContain('You voted "Wednesday"');
    await h.dispatcher.dispatchDue();
    expect(poll.content).toContain('**Monday**: 0 votes (0%)');
    expect(poll.content).toContain('**Wednesday**: 1 vote (100%)');
    expect(poll.content).toContain('1 person voted so far.');
    await answerTo(h.fake.click(ANN, poll, 'Wednesday'));

    const closing = await answerTo(h.fake.command(BO, ['poll', 'close'], { poll: code! }));
    expect(closing.content).toBe(`Poll ${code} is closed. The results are posted in <#${h.fake.channelId}>.`);
    expect(closing.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(poll.content).toContain(`Poll ${code} (closed): Which day suits you?`);
    expect(poll.content).toContain('**Wednesday**: 2 votes (100%)');
    expect(poll.components).toEqual([]);
    const [, results] = h.fake.messagesIn(h.fake.channelId);
    expect(results?.flags).toBe(0);
    // Ann (who set the group up), Bo (who started the poll) and Cy are members; Cy and Ann voted.
    expect(results?.content).toContain(`Poll ${code} has closed: Which day suits you?`);
    expect(results?.content).toContain('Most chosen: **Wednesday** (2 votes).');
    expect(results?.content).toContain('2 of 3 members voted (67%).');
  });
});

describe('people clicking a poll for the first time, all at once', () => {
  // Each is in the server, and copro has not seen them join: whether they are in it is asked.
  const crowd = Array.from({ length: 60 }, (_, i) => fakeMember(`first${i}`));

  it('counts every vote: the click itself shows its person is in the server', async () => {
    const poll = await newPoll({ question: 'Which day suits you?', options: 'Monday; Wednesday' });
    const clicks = crowd.map((m) => h.fake.click(m, poll, 'Monday'));
    await eventually(() => clicks.every((c) => h.fake.visible(c).length > 0), 'every answer', 30_000);
    expect(clicks.map((c) => h.fake.visible(c)[0]?.content)).toEqual(
      crowd.map(() => expect.stringContaining('You voted "Monday"')),
    );
    await h.discord.settled();
    await h.dispatcher.dispatchDue();
    expect(poll.content).toContain('60 people voted so far.');
  });
});
