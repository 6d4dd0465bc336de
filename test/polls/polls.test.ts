import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person, submitted, typed } from '../support/events.js';
import { pollMessageRef } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');
let platform: ReturnType<typeof recordingPlatform>;
let deps: AppDeps;
let app: ReturnType<typeof createApp>;

function start() {
  // Everyone in this terminal workspace is in the group's channel, as the platform would say.
  platform = Object.assign(recordingPlatform(clock, 'console'), { isChannelMember: async () => true });
  deps = {
    db: db.db,
    clock,
    logger: silentLogger(),
    platforms: { console: platform },
    voterSecret: Buffer.alloc(32, 9),
  };
  app = createApp(deps);
  return {
    dispatcher: createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: deps.platforms }),
    scheduler: createScheduler({ db: db.db, clock, logger: silentLogger(), handlers: app.jobs }),
  };
}

async function say(actor: Actor, text: string): Promise<string> {
  const { event, said } = typed(actor, text);
  await app.handle(event);
  return said.map((s) => s.message.text).join('\n');
}

/** A click on the poll's own message (delivered first, as it is before anyone can click it). */
async function click(actor: Actor, actionId: string, value: string): Promise<string> {
  const { event, said } = clicked(actor, actionId, value);
  const code = value.split(':')[0] ?? '';
  let message = actionId.startsWith('poll.') ? await pollMessageRef(db, code) : undefined;
  if (actionId.startsWith('poll.') && !message) {
    await createDispatcher({
      db: db.db,
      clock,
      logger: silentLogger(),
      platforms: deps.platforms,
    }).dispatchDue();
    message = await pollMessageRef(db, code);
  }
  await app.handle({ ...event, ...(message ? { message } : {}) });
  return said.map((s) => s.message.text).join('\n');
}

async function openPoll(text: string): Promise<string> {
  const answer = await say(ann, text);
  const code = /poll (P[A-Z0-9]+) is posted/.exec(answer)?.[1];
  if (!code) throw new Error(`no poll code in: ${answer}`);
  return code;
}

const lastText = () => platform.calls.at(-1)?.text ?? '';

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  start();
  await db.startFrom('a group where Sam and Bo have roles', async () => {
    await say(ann, 'setup');
    await say(ann, 'role add @sam expert by experience');
    await say(ann, 'role add @bo researcher');
  });
});

describe('a single-choice poll', () => {
  it('is posted as one channel message with a button per answer', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day suits you?" "Monday" "Wednesday"');
    await dispatcher.dispatchDue();
    const posts = platform.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.to).toMatchObject({ kind: 'channel', channelId: 'general' });
    expect(posts[0]?.text).toContain(`Poll ${code}: Which day suits you?`);
    expect(posts[0]?.text).toContain('Choose one answer.');
  });

  it('counts a vote, confirms it privately, and updates the message in place', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await dispatcher.dispatchDue();
    expect(await click(sam, 'poll.vote', `${code}:1`)).toBe(
      'Thank you. You voted "Wednesday" on "Which day?". You can change your vote until the poll closes.',
    );
    await dispatcher.dispatchDue();
    expect(platform.updates()).toHaveLength(1);
    expect(lastText()).toContain('Wednesday: 1 vote (100%)');
    expect(lastText()).toContain('1 person voted so far.');
  });

  it('moves the vote when someone clicks another answer', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await click(sam, 'poll.vote', `${code}:0`);
    await click(sam, 'poll.vote', `${code}:1`);
    await dispatcher.dispatchDue();
    expect(lastText()).toContain('Monday: 0 votes (0%)');
    expect(lastText()).toContain('Wednesday: 1 vote (100%)');
    expect(await db.db.select().from(schema.pollVotes)).toHaveLength(1);
  });

  it('refuses a vote after the poll closed, and changes nothing', async () => {
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await click(sam, 'poll.vote', `${code}:0`);
    await say(ann, `poll close ${code}`);
    const answer = await click(sam, 'poll.vote', `${code}:1`);
    expect(answer).toContain('has closed');
    const [vote] = await db.db.select().from(schema.pollVotes);
    expect(vote?.choices).toEqual([0]);
  });

  it('lets only its starter or a coordinator close it', async () => {
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    expect(await say(sam, `poll close ${code}`)).toContain('Only the person who started poll');
    const [poll] = await db.db.select().from(schema.polls);
    expect(poll?.status).toBe('open');
  });

  it('posts the final results with the participation rate when closed', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await click(sam, 'poll.vote', `${code}:0`);
    await click(bo, 'poll.vote', `${code}:0`);
    expect(await say(ann, `poll close ${code}`)).toContain(`Poll ${code} is closed.`);
    await dispatcher.dispatchDue();
    const results = platform.posts().find((p) => p.text.includes('has closed'));
    expect(results?.text).toContain('Most chosen: Monday (2 votes)');
    expect(results?.text).toContain('2 of 3 members voted (67%).');
    expect(platform.calls.some((c) => c.text.includes(`Poll ${code} (closed)`))).toBe(true);
  });
});

describe('a multiple-choice poll', () => {
  it('adds and takes back answers one click at a time', async () => {
    const code = await openPoll('poll "Which formats?" "Print" "Audio" "Easy read" --multi');
    await click(sam, 'poll.vote', `${code}:0`);
    expect(await click(sam, 'poll.vote', `${code}:2`)).toContain('Print, Easy read');
    expect(await click(sam, 'poll.vote', `${code}:0`)).toContain('Easy read');
    const [vote] = await db.db.select().from(schema.pollVotes);
    expect(vote?.choices).toEqual([2]);
  });
});

describe('starting a poll', () => {
  it('tells its starter how to close it, "sooner" only when it closes by itself', async () => {
    const open = await say(ann, 'poll "Tea?" "Yes" "No"');
    expect(open).toContain('It stays open until you close it.');
    expect(open).toMatch(/\nTo close it: \/copro poll close P\w+$/);
    const timed = await say(ann, 'poll "Coffee?" "Yes" "No" --closes 2d');
    expect(timed).toMatch(/\nTo close it sooner: \/copro poll close P\w+$/);
  });

  it('refuses a closing time it cannot read, and creates nothing', async () => {
    expect(await say(ann, 'poll "Tea?" "Yes" "No" --closes someday')).toContain('could not read "someday"');
    expect(await db.db.select().from(schema.polls)).toHaveLength(0);
  });

  it('refuses a closing time of no length at all (0d), and creates nothing', async () => {
    expect(await say(ann, 'poll "Tea?" "Yes" "No" --closes 0d')).toContain(
      'A poll must stay open for some time, and "0d" is none.',
    );
    expect(await db.db.select().from(schema.polls)).toHaveLength(0);
  });

  it('refuses an answer listed twice', async () => {
    expect(await say(ann, 'poll "Tea?" "Yes" "yes"')).toContain('listed twice');
  });

  it('asks whether a close was meant when the words come in the wrong order, and posts nothing', async () => {
    const code = await openPoll('poll "Tea?" "Yes" "No"');
    const before = await db.db.select().from(schema.polls);
    expect(await say(ann, `poll ${code} close now`)).toContain(
      `Did you mean /copro poll close ${code}? Nothing was posted.`,
    );
    expect(await say(ann, `poll ${code.toLowerCase()} closes now`)).toContain(
      `Did you mean /copro poll close ${code}? Nothing was posted.`,
    );
    // One word after the code is too few answers for a poll: the likelier meaning is said instead.
    const alone = await say(ann, `poll ${code} close`);
    expect(alone).toContain(`Did you mean /copro poll close ${code}?`);
    expect(alone).not.toContain('between 2 and 20');
    // A question in quotes is a poll, whatever its one answer says.
    expect(await say(ann, 'poll "Tea?" close')).toContain('between 2 and 20');
    expect(await db.db.select().from(schema.polls)).toEqual(before);
  });

  it('keeps each answer short enough for the platform to show it whole on its button', async () => {
    const narrow = recordingPlatform(clock, 'console', {
      sendRate: { post: [], update: [] },
      buttonLabel: 20,
    });
    app = createApp({ ...deps, platforms: { console: narrow } });
    expect(await say(ann, 'poll "Tea?" "Yes please, with milk" "No"')).toContain(
      'Each answer is a button, which holds 20 characters at most here',
    );
    // Exactly at the limit is kept: the answer did not say "under".
    expect(await say(ann, 'poll "Tea?" "12345678901234567890" "No"')).toContain('is posted');
    expect(await say(ann, `poll "Tea?" "${'y'.repeat(81)}" "No"`)).toContain(
      'Each of the options can be at most 80 characters long',
    );
    expect(await db.db.select().from(schema.polls)).toHaveLength(1);
    expect(await say(ann, 'poll "Tea?" "Yes, with milk" "No"')).toContain('is posted');
  });

  it('can be limited to coordinators', async () => {
    await say(ann, 'poll starters coordinators');
    expect(await say(sam, 'poll "Tea?" "Yes" "No"')).toContain('only coordinators start polls');
    expect(await say(ann, 'poll "Tea?" "Yes" "No"')).toContain('is posted');
  });

  it('lists open polls with your own vote status', async () => {
    const code = await openPoll('poll "Tea?" "Yes" "No" --closes "friday 5pm"');
    await click(sam, 'poll.vote', `${code}:0`);
    expect(await say(sam, 'polls')).toContain(
      `${code}: Tea? (you voted: Yes; closes Friday 27 November at 17:00)`,
    );
    expect(await say(bo, 'polls')).toContain('you have not voted yet');
  });
});

describe('deadlines and reminders', () => {
  it('closes by itself at its deadline, even after a restart, and only once', async () => {
    const code = await openPoll('poll "Tea?" "Yes" "No" --closes 3d');
    await click(sam, 'poll.vote', `${code}:0`);
    clock.set('2026-11-26T10:00:01Z');
    // A fresh process: new app, scheduler and dispatcher on the same database.
    const { scheduler, dispatcher } = start();
    await scheduler.catchUp();
    await scheduler.runDue();
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    const [poll] = await db.db.select().from(schema.polls);
    expect(poll?.status).toBe('closed');
    expect(platform.posts().filter((p) => p.text.includes(`Poll ${code} has closed`))).toHaveLength(1);
  });

  it('reminds only members who have not voted, once, a day before the close', async () => {
    const code = await openPoll('poll "Tea?" "Yes" "No" --closes 3d');
    await click(sam, 'poll.vote', `${code}:0`);
    const { scheduler, dispatcher } = start();
    clock.set('2026-11-25T09:59:00Z');
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    expect(platform.posts().filter((p) => p.to?.kind === 'dm')).toHaveLength(0);
    clock.set('2026-11-25T10:00:00Z');
    await scheduler.runDue();
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    const dms = platform.posts().filter((p) => p.to?.kind === 'dm');
    expect(dms.map((d) => (d.to as { userId: string }).userId).sort()).toEqual(['ann', 'bo']);
    expect(dms[0]?.text).toContain('A gentle reminder');
  });

  it('sends no reminder to someone who turned them off', async () => {
    await openPoll('poll "Tea?" "Yes" "No" --closes 3d');
    expect(await click(bo, 'poll.reminders-off', '1')).toContain('will not get poll reminders');
    const { scheduler, dispatcher } = start();
    clock.set('2026-11-25T10:00:00Z');
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    const to = platform
      .posts()
      .filter((p) => p.to?.kind === 'dm')
      .map((d) => (d.to as { userId: string }).userId);
    expect(to).toEqual(['ann', 'sam']);
  });
});

describe('an anonymous ranked poll', () => {
  it('ranks by Borda count, breaks results down by role, and never names a voter', async () => {
    const { dispatcher } = start();
    await say(ann, 'role add @cy expert by experience');
    await say(ann, 'role add @di expert by experience');
    const code = await openPoll(
      'poll "What should we study first?" "Sleep" "Pain" "Fatigue" --ranked --anonymous',
    );
    const { event, forms } = clicked(sam, 'poll.rank', code);
    await dispatcher.dispatchDue();
    await app.handle({ ...event, message: await pollMessageRef(db, code) });
    expect(forms[0]?.fields.map((f) => f.label)).toEqual([
      'Your 1st priority',
      'Your 2nd priority',
      'Your 3rd priority',
    ]);
    const ballots: [Actor, string[]][] = [
      [sam, ['1', '2', '0']],
      [person('Cy'), ['1', '0']],
      [person('Di'), ['2', '1', '0']],
      [bo, ['0', '1', '2']],
    ];
    for (const [who, ranking] of ballots) {
      clock.advance(60_000);
      const values = Object.fromEntries(ranking.map((v, i) => [`rank${i + 1}`, v]));
      const { event: form, said } = submitted(who, 'poll.rank', values, code);
      expect(await app.handle(form)).toBeUndefined();
      expect(said[0]?.message.text).toContain('Your priorities');
    }
    // Sam changes their mind: the vote is replaced, not added.
    await app.handle(submitted(sam, 'poll.rank', { rank1: '1', rank2: '0', rank3: '2' }, code).event);
    await say(ann, `poll close ${code}`);
    await dispatcher.dispatchDue();

    const votes = await db.db.select().from(schema.pollVotes);
    expect(votes).toHaveLength(4);
    expect(votes.every((v) => v.memberId === null && v.voterKey.startsWith('a:'))).toBe(true);
    // Nothing stored can be lined up with who clicked when.
    const [poll] = await db.db.select().from(schema.polls);
    expect(new Set(votes.map((v) => v.updatedAt.getTime()))).toEqual(new Set([poll?.createdAt.getTime()]));
    const handled = await db.db.select().from(schema.processedEvents);
    expect(handled.length).toBeGreaterThan(0);
    for (const row of handled) expect(row.eventId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const results = platform.posts().find((p) => p.text.includes('has closed'))?.text ?? '';
    // Points with N = 3: Pain 2+2+1+1 = 6, Sleep 1+1+0+2 = 4, Fatigue 0+0+2+0 = 2.
    expect(results).toContain('Top priority: Pain.');
    expect(results).toContain('1. Pain: 6 points');
    expect(results).toContain('4 of 5 members voted (80%).');
    // The only researcher is not shown, and neither are the three experts: the total minus the
    // experts would be the researcher's ranking.
    expect(results).not.toContain('researcher (1 person)');
    expect(results).not.toContain('How each role voted');
    const everything =
      platform.calls.map((c) => c.text).join('\n') + (await say(ann, 'polls')) + (await say(ann, 'roles'));
    const pollTexts = platform.calls
      .filter((c) => c.text.includes(code))
      .map((c) => c.text)
      .join('\n');
    for (const name of ['sam', 'cy', 'di', 'bo']) expect(pollTexts).not.toContain(`@${name}`);
    expect(everything).toContain('Anonymous: no one can see who voted for what. Not even coordinators can.');
  });

  it('asks again when the same option is ranked twice, and records nothing', async () => {
    const code = await openPoll('poll "First?" "Sleep" "Pain" --ranked');
    const outcome = await app.handle(submitted(sam, 'poll.rank', { rank1: '1', rank2: '1' }, code).event);
    expect(outcome?.formErrors?.rank2).toContain('You already chose "Pain"');
    expect(await db.db.select().from(schema.pollVotes)).toHaveLength(0);
  });
});

describe('a burst of votes', () => {
  it('counts all 60 and sends far fewer than 60 message updates', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await dispatcher.dispatchDue();
    // Sixty at once are enough to show updates being coalesced; more only makes the test slower.
    const voters = Array.from({ length: 60 }, (_, i) => person(`Voter${i}`));
    let round = 0;
    await Promise.all(
      voters.map(async (who, i) => {
        await click(who, 'poll.vote', `${code}:${i % 2}`);
        // The dispatcher keeps ticking while votes arrive, as it does in production.
        if (++round % 15 === 0) await dispatcher.dispatchDue();
      }),
    );
    await dispatcher.dispatchDue();
    const votes = await db.db.select().from(schema.pollVotes).where(eq(schema.pollVotes.pollId, 1));
    expect(votes).toHaveLength(60);
    expect(platform.updates().length).toBeLessThanOrEqual(10);
    expect(lastText()).toContain('Monday: 30 votes (50%)');
    expect(lastText()).toContain('60 people voted so far.');
  });

  it('draws a poll message a stop left out of date before the next scheduler tick', async () => {
    const { dispatcher } = start();
    const code = await openPoll('poll "Which day?" "Monday" "Wednesday"');
    await dispatcher.dispatchDue();
    const [poll] = await db.db.select().from(schema.polls).where(eq(schema.polls.code, code));
    const [group] = await db.db.select().from(schema.groups);
    const [member] = await db.db.select().from(schema.members);
    // The vote commits, and the process stops before drawing the message.
    const { castVote } = await import('../../src/polls/votes.js');
    const result = await castVote(db.db, {
      group: group!,
      pollId: poll!.id,
      anonymous: false,
      member: member!,
      vote: { kind: 'pick', option: 1 },
      now: clock.now(),
      secret: undefined,
    });
    expect(result.mustRefresh).toBe(true);
    await dispatcher.dispatchDue();
    expect(lastText()).not.toContain('1 person voted so far.');
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: {},
      sweeps: app.sweeps,
    });
    await scheduler.start();
    await scheduler.stop();
    await dispatcher.dispatchDue();
    expect(lastText()).toContain('Wednesday: 1 vote (100%)');
  });
});
