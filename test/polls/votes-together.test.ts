import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createInbox } from '../../src/inbox.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person } from '../support/events.js';
import { pollWorld } from './support.js';

/**
 * Many people voting on one poll at the same moment, as when it has just been posted in a busy
 * channel: their clicks are counted together, and each must come out exactly as if it had been
 * counted alone.
 */
let db: TestDb;
let world: ReturnType<typeof pollWorld>;
const ann = person('Ann');
const crowd = Array.from({ length: 40 }, (_, i) => person(`Voter${i}`));

beforeAll(async () => {
  db = await openTestDb();
});
beforeEach(async () => {
  await db.reset();
  world = pollWorld(db);
  await world.say(ann, 'setup');
  // Copro has not seen them join: the platform says they are in the channel.
  for (const p of crowd) world.inChannel.add(p.userId);
});
afterAll(async () => {
  await db.close();
});

const ballots = async (code: string) => {
  const [poll] = await db.db.select().from(schema.polls).where(eq(schema.polls.code, code));
  return db.db.select().from(schema.pollVotes).where(eq(schema.pollVotes.pollId, poll!.id));
};

describe('people voting on a poll at the same moment', () => {
  it('counts each of 40 votes once, tells each person what they chose, and the message shows all 40', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Tuesday" "Wednesday"', ann);
    const answers = await Promise.all(crowd.map((p, i) => world.vote(p, code, i % 3)));
    expect(answers[0]).toContain('You voted "Monday"');
    expect(answers[1]).toContain('You voted "Tuesday"');
    expect(answers.every((a) => a.startsWith('Thank you. You voted'))).toBe(true);
    expect(await ballots(code)).toHaveLength(40);
    await world.dispatcher.dispatchDue();
    expect(world.platform.updates().at(-1)?.text).toContain('40 people voted so far.');
  });

  it.each([
    { flag: '', what: 'a poll' },
    { flag: ' --anonymous', what: 'an anonymous poll (its clicks are handled one at a time)' },
  ])(
    'answers the voters on $what before it is drawn again, when the platform can wait for the drawing',
    async ({ flag }) => {
      // The outbox's nudge after the drawing is held, as a slow Slack would hold it.
      let drawing: Promise<void> | undefined;
      let drawn = () => {};
      world = pollWorld(db, { flush: () => drawing ?? Promise.resolve() });
      for (const p of crowd) world.inChannel.add(p.userId);
      const code = await world.openPoll(`poll "Which day?" "Monday" "Tuesday"${flag}`, ann);
      drawing = new Promise((resolve) => {
        drawn = resolve;
      });
      const leftRunning: Promise<unknown>[] = [];
      const leaveRunning = (work: Promise<unknown>) => void leftRunning.push(work);
      const answers = await Promise.all(
        crowd.slice(0, 10).map((p) => world.click(p, 'poll.vote', `${code}:1`, { code, leaveRunning })),
      );
      expect(answers.every((a) => a.includes('You voted "Tuesday"'))).toBe(true);
      expect(leftRunning.length).toBeGreaterThan(0);
      let finished = false;
      const allLeft = Promise.all(leftRunning).then(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(finished).toBe(false);
      drawn();
      await allLeft;
      await world.dispatcher.dispatchDue();
      expect(world.platform.updates().at(-1)?.text).toContain('10 people voted so far.');
    },
  );

  it('draws the poll once more for votes that follow each other closely, counting them all', async () => {
    let drawings = 0;
    world = pollWorld(db, {
      flush: async () => {
        drawings++;
      },
    });
    for (const p of crowd) world.inChannel.add(p.userId);
    const code = await world.openPoll('poll "Which day?" "Monday" "Tuesday"', ann);
    drawings = 0;
    const leftRunning: Promise<unknown>[] = [];
    const leaveRunning = (work: Promise<unknown>) => void leftRunning.push(work);
    // One after another, each answered before the next: within REDRAW_AGAIN_AFTER_MS of the first.
    for (const p of crowd.slice(0, 3)) await world.click(p, 'poll.vote', `${code}:0`, { code, leaveRunning });
    await Promise.all(leftRunning);
    // Two: the first vote's, then one for the others (one, if a drawing of an earlier test's poll
    // with the same id was recent enough that the first waited too).
    expect(drawings).toBeGreaterThanOrEqual(1);
    expect(drawings).toBeLessThanOrEqual(2);
    await world.dispatcher.dispatchDue();
    expect(world.platform.updates().at(-1)?.text).toContain('3 people voted so far.');
  });

  it('refuses, with the usual answer, an outsider and a click on another message in the same burst, and counts the rest', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Tuesday"', ann);
    const outsider = person('Outsider');
    const elsewhere = { platform: 'console' as const, channelId: 'general', messageId: 'not-the-poll' };
    const [a, b, ...rest] = await Promise.all([
      world.vote(outsider, code, 0),
      world.click(crowd[0]!, 'poll.vote', `${code}:1`, { message: elsewhere }),
      ...crowd.slice(1, 20).map((p) => world.vote(p, code, 1)),
    ]);
    expect(a).toContain('Only members of');
    expect(b).toContain('Please use the buttons on poll');
    expect(rest.every((r) => r.includes('You voted "Tuesday"'))).toBe(true);
    expect((await ballots(code)).map((v) => v.memberId)).not.toContain(undefined);
    expect(await ballots(code)).toHaveLength(19);
  });

  it('counts a click that arrives twice at the same moment once', async () => {
    const code = await world.openPoll('poll "Pizza?" "Margherita" "Funghi" --multi', ann);
    const message = await world.pollMessage(code);
    const { event } = clicked(crowd[0]!, 'poll.vote', `${code}:0`);
    const twice = { ...event, message, channelId: 'general' };
    await Promise.all([
      world.app.handle(twice),
      world.app.handle(twice),
      ...crowd.slice(1, 10).map((p) => world.vote(p, code, 1)),
    ]);
    // Counted twice, a multiple-choice answer would be taken back again.
    const mine = (await ballots(code)).filter((v) => v.choices.includes(0));
    expect(mine).toHaveLength(1);
  });

  it('on a multiple-choice poll, leaves each person with what they chose when some add and others take back', async () => {
    const code = await world.openPoll('poll "Pizza?" "Margherita" "Funghi" --multi', ann);
    const [first, second] = crowd;
    await world.vote(first!, code, 0);
    await world.vote(second!, code, 0);
    const answers = await Promise.all([
      world.vote(first!, code, 1),
      world.vote(second!, code, 0),
      ...crowd.slice(2, 12).map((p) => world.vote(p, code, 1)),
    ]);
    expect(answers[0]).toContain('Margherita, Funghi');
    expect(answers[1]).toContain('You have taken back your answer');
    const byMember = new Map((await ballots(code)).map((v) => [v.memberId, v.choices]));
    expect(byMember.size).toBe(11);
    expect(byMember.get(null)).toBeUndefined();
  });

  it('keeps an anonymous poll anonymous when many vote at once: every vote counts, no ballot names its voter', async () => {
    const code = await world.openPoll('poll "Secret?" "Yes" "No" --anonymous', ann);
    await Promise.all(crowd.slice(0, 15).map((p, i) => world.vote(p, code, i % 2)));
    const stored = await ballots(code);
    expect(stored).toHaveLength(15);
    expect(stored.every((v) => v.memberId === null)).toBe(true);
  });

  it('lets each kept delivery go with its vote, so nothing is handled again after a restart', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Tuesday"', ann);
    const inbox = createInbox(db.db);
    const message = await world.pollMessage(code);
    await Promise.all(
      crowd.slice(0, 20).map(async (p) => {
        const keptAs = await inbox.keep('console', { from: p.userId });
        const { event } = clicked(p, 'poll.vote', `${code}:0`);
        await world.app.handle({ ...event, message, channelId: 'general', keptAs });
      }),
    );
    expect(await inbox.waiting('console')).toEqual([]);
    expect(await ballots(code)).toHaveLength(20);
  });
});
