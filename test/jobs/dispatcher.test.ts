import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { DeliveryError } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { createDispatcher, enqueueMessage, releaseLeftClaims, upsertMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import {
  channel,
  outboxRows,
  rateLimited,
  recordingPlatform,
  rejected,
  seedGroup,
  text,
  unavailable,
} from './support.js';

let db: TestDb;
const START = '2026-11-23T09:00:00Z';
const clock = fixedClock(START);
let slack: ReturnType<typeof recordingPlatform>;
let dispatcher: ReturnType<typeof createDispatcher>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set(START);
  slack = recordingPlatform(clock);
  dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { slack } });
});

const send = (purpose: string, body: string, to = 'C1', groupId?: number) =>
  db.db.transaction((tx) =>
    enqueueMessage(tx, clock.now(), {
      purpose,
      platform: 'slack',
      destination: channel(to),
      message: text(body),
      groupId,
    }),
  );
const upsert = (purpose: string, body: string, to = 'C1') =>
  db.db.transaction((tx) =>
    upsertMessage(tx, clock.now(), {
      purpose,
      platform: 'slack',
      destination: channel(to),
      message: text(body),
    }),
  );

describe('the outbox dispatcher', () => {
  it('posts a queued message once and keeps the platform reference for later edits', async () => {
    await send('hello', 'Hello group');
    await dispatcher.dispatchDue();
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['Hello group']);
    const [row] = await outboxRows(db.db);
    expect(row).toMatchObject({ status: 'sent', deliveredVersion: 1 });
    expect(row!.messageRef).toEqual({ platform: 'slack', channelId: 'C1', messageId: 'm1' });
  });

  it('queues a message only once per purpose and recipient, however often it is enqueued', async () => {
    expect(await send('digest:1:w48', 'First')).toBe(true);
    expect(await send('digest:1:w48', 'Second')).toBe(false);
    await send('digest:1:w48', 'Other channel', 'C2');
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['First', 'Other channel']);
  });

  it('waits exactly as long as a 429 Retry-After asks, then delivers the message once', async () => {
    slack.failNext(rateLimited(2_000));
    await send('hello', 'Hello group');
    expect((await dispatcher.dispatchDue()).retried).toBe(1);
    clock.advance(1_999);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    clock.advance(1);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(1);
    expect(slack.posts()[0]!.at).toBe(new Date(START).getTime() + 2_000);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(1);
  });

  it('never gives up on a message for being rate limited, however many 429s come first', async () => {
    const patient = createDispatcher({
      db: db.db,
      clock,
      logger: silentLogger(),
      platforms: { slack },
      maxAttempts: 3,
    });
    slack.failNext(...Array.from({ length: 12 }, () => rateLimited(3_000)));
    await send('poll', 'Which day suits you?');
    for (let i = 0; i < 13; i++) {
      await patient.dispatchDue();
      clock.advance(3_000);
    }
    expect(slack.posts().map((c) => c.text)).toEqual(['Which day suits you?']);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent' });
  });

  it('holds back other messages to a channel that was rate limited, but not to other channels', async () => {
    slack.failNext(rateLimited(5_000));
    await send('a', 'To C1, first');
    await send('b', 'To C1, second');
    await send('c', 'To C2', 'C2');
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['To C2']);
    clock.advance(5_000);
    await dispatcher.dispatchDue();
    clock.advance(1_000);
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['To C2', 'To C1, first', 'To C1, second']);
  });

  it('keeps to about one Slack message per second per channel', async () => {
    for (let i = 1; i <= 3; i++) await send(`n${i}`, `Note ${i}`);
    await send('other', 'Elsewhere', 'C2');
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['Note 1', 'Elsewhere']);
    clock.advance(999);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(2);
    clock.advance(1);
    await dispatcher.dispatchDue();
    clock.advance(1_000);
    await dispatcher.dispatchDue();
    const toC1 = slack.posts().filter((c) => c.to?.kind === 'channel' && c.to.channelId === 'C1');
    expect(toC1.map((c) => c.text)).toEqual(['Note 1', 'Note 2', 'Note 3']);
    expect(toC1[1]!.at - toC1[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(toC1[2]!.at - toC1[1]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it("keeps within Discord's limits: 5 per 5 seconds in one channel, 50 a second in all", async () => {
    const discord = recordingPlatform(clock, 'discord');
    const paced = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { discord } });
    await db.db.transaction(async (tx) => {
      for (let i = 0; i < 7; i++) {
        await enqueueMessage(tx, clock.now(), {
          purpose: `one:${i}`,
          platform: 'discord',
          destination: channel('general'),
          message: text(`general ${i}`),
        });
      }
      for (let i = 0; i < 60; i++) {
        await enqueueMessage(tx, clock.now(), {
          purpose: `many:${i}`,
          platform: 'discord',
          destination: channel(`room${i}`),
          message: text(`room ${i}`),
        });
      }
    });
    const sentBy = (ms: number) => discord.posts().filter((c) => c.at < new Date(START).getTime() + ms);
    await paced.dispatchDue();
    expect(sentBy(1_000)).toHaveLength(50);
    expect(sentBy(1_000).filter((c) => c.text.startsWith('general'))).toHaveLength(5);
    clock.advance(1_000);
    await paced.dispatchDue();
    expect(discord.posts()).toHaveLength(65);
    clock.advance(4_000);
    await paced.dispatchDue();
    expect(discord.posts()).toHaveLength(67);
    expect(
      discord
        .posts()
        .filter((c) => c.text.startsWith('general'))
        .map((c) => c.text),
    ).toEqual(Array.from({ length: 7 }, (_, i) => `general ${i}`));
  });

  it('spreads Slack DMs to many people over time: about 50 a minute per workspace', async () => {
    await db.db.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        await enqueueMessage(tx, clock.now(), {
          purpose: 'reminder',
          platform: 'slack',
          destination: { kind: 'dm', userId: `U${i}`, workspaceId: 'T1' },
          message: text(`Please vote, U${i}`),
        });
      }
    });
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(50);
    clock.advance(59_999);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(50);
    clock.advance(1);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(60);
  });

  it('backs off after a platform outage and delivers when the platform is back', async () => {
    slack.failNext(unavailable(), unavailable());
    await send('hello', 'Hello group');
    await dispatcher.dispatchDue();
    clock.advance(4_999);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    clock.advance(1);
    await dispatcher.dispatchDue(); // second failure: now waits 10 s
    clock.advance(9_999);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    clock.advance(1);
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['Hello group']);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it('keeps messages to one channel in order when the first has to be retried', async () => {
    slack.failNext(unavailable());
    await send('a', 'Poll posted');
    await send('b', 'Poll closed');
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    clock.advance(5_000);
    await dispatcher.dispatchDue();
    clock.advance(1_000);
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['Poll posted', 'Poll closed']);
  });

  it('merges several updates made before delivery into one post of the latest content', async () => {
    await upsert('poll:7', 'Votes: 1');
    await upsert('poll:7', 'Votes: 2');
    await upsert('poll:7', 'Votes: 3');
    await dispatcher.dispatchDue();
    expect(slack.calls.map((c) => `${c.op} ${c.text}`)).toEqual(['post Votes: 3']);
  });

  it('turns repeated updates of a delivered message into one edit of that message, latest wins', async () => {
    await upsert('poll:7', 'Votes: 1');
    await dispatcher.dispatchDue();
    await upsert('poll:7', 'Votes: 2');
    await upsert('poll:7', 'Votes: 3');
    await upsert('poll:7', 'Votes: 4');
    await dispatcher.dispatchDue();
    expect(slack.calls.map((c) => `${c.op} ${c.text}`)).toEqual(['post Votes: 1', 'update Votes: 4']);
    expect(slack.updates()[0]!.ref).toEqual({ platform: 'slack', channelId: 'C1', messageId: 'm1' });
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent', version: 4, deliveredVersion: 4 });
  });

  it('keeps a message counted live in a burst current: its latest count shows within 10 seconds', async () => {
    await upsert('poll:7', 'Votes: 0');
    await dispatcher.dispatchDue();
    // A vote every 100 ms for 20 seconds, each redrawing the message.
    for (let n = 1; n <= 200; n++) {
      clock.advance(100);
      await upsert('poll:7', `Votes: ${n}`);
      await dispatcher.dispatchDue();
    }
    const lastVoteAt = clock.now().getTime();
    for (let s = 0; s < 10 && slack.updates().at(-1)?.text !== 'Votes: 200'; s++) {
      clock.advance(1_000);
      await dispatcher.dispatchDue();
    }
    const last = slack.updates().at(-1)!;
    expect(last.text).toBe('Votes: 200');
    expect(last.at - lastVoteAt).toBeLessThanOrEqual(10_000);
    // Spread out: the workspace's 50 edits a minute were never used up by this one message.
    expect(slack.updates().length).toBeLessThanOrEqual(20);
  });

  it('sends a change made while the first version was on its way as an edit right after', async () => {
    await upsert('poll:7', 'Votes: 1');
    const post = slack.post.bind(slack);
    slack.post = async (to, message) => {
      await upsert('poll:7', 'Votes: 2'); // a vote arrives while Slack is answering
      return post(to, message);
    };
    await dispatcher.dispatchDue();
    expect(slack.calls.map((c) => `${c.op} ${c.text}`)).toEqual(['post Votes: 1', 'update Votes: 2']);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent', version: 2, deliveredVersion: 2 });
  });

  it('edits a message first posted outside the outbox when given its reference', async () => {
    const ref = { platform: 'slack' as const, channelId: 'C1', messageId: 'posted-by-reply' };
    await db.db.transaction((tx) =>
      upsertMessage(
        tx,
        clock.now(),
        { purpose: 'poll:9', platform: 'slack', destination: channel('C1'), message: text('Votes: 5') },
        { existingRef: ref },
      ),
    );
    await dispatcher.dispatchDue();
    expect(slack.calls).toEqual([expect.objectContaining({ op: 'update', ref, text: 'Votes: 5' })]);
  });

  it('dead-letters a message the platform rejects, at once, and tells the coordinators', async () => {
    const group = await seedGroup(db.db, { coordinators: ['U-ann', 'U-sam'] });
    slack.failNext(rejected());
    await send('notice', 'Meeting moved to Friday', 'C-gone', group.id);
    const summary = await dispatcher.dispatchDue();
    expect(summary.dead).toBe(1);
    const notes = slack.posts().filter((c) => c.to?.kind === 'dm');
    expect(notes.map((c) => (c.to?.kind === 'dm' ? c.to.userId : ''))).toEqual(['U-ann', 'U-sam']);
    expect(notes[0]!.text).toContain('could not deliver a message to a channel');
    expect(notes[0]!.text).toContain('Meeting moved to Friday');
    const rows = await outboxRows(db.db);
    expect(rows[0]).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('records a failure whose text holds a NUL character, instead of sending the message again for ever', async () => {
    // A garbled answer (binary read as text) can hold one, and Postgres refuses it in text.
    const garbled = () => new DeliveryError('unavailable', 'Slack said \u0000\u0001\u0000');
    slack.failNext(garbled(), new DeliveryError('rejected', 'invalid_auth \u0000'));
    await send('notice', 'Agenda for Tuesday', 'C1');
    expect((await dispatcher.dispatchDue()).retried).toBe(1);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await outboxRows(db.db))[0]?.lastError).toContain('Slack said \\0');
    clock.advance(60 * 60_000);
    expect((await dispatcher.dispatchDue()).dead).toBe(1);
    clock.advance(60 * 60_000);
    await dispatcher.dispatchDue();
    expect(slack.posts().filter((c) => c.to?.kind === 'channel')).toHaveLength(0);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'dead', attempts: 2 });
  });

  it('gives up after the attempt limit, keeps the message as a dead letter, and notes it once', async () => {
    const group = await seedGroup(db.db, { channel: 'C1', coordinators: ['U-ann'] });
    dispatcher = createDispatcher({
      db: db.db,
      clock,
      logger: silentLogger(),
      platforms: { slack },
      maxAttempts: 3,
    });
    slack.failNext(unavailable(), unavailable(), unavailable());
    await send('notice', 'Agenda for Tuesday', 'C1', group.id);
    for (let i = 0; i < 5; i++) {
      await dispatcher.dispatchDue();
      clock.advance(60_000);
    }
    expect(slack.posts().filter((c) => c.to?.kind === 'channel')).toHaveLength(0);
    const notes = slack.posts().filter((c) => c.to?.kind === 'dm');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain("to the group's channel");
    expect(notes[0]!.text).toContain('tried 3 times');
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'dead', attempts: 3 });
  });

  it('leaves messages for a platform that is not connected until it is', async () => {
    await db.db.transaction((tx) =>
      enqueueMessage(tx, clock.now(), {
        purpose: 'x',
        platform: 'discord',
        destination: channel('D1'),
        message: text('Hi Discord'),
      }),
    );
    await dispatcher.dispatchDue();
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    const discord = recordingPlatform(clock, 'discord');
    await createDispatcher({
      db: db.db,
      clock,
      logger: silentLogger(),
      platforms: { discord },
    }).dispatchDue();
    expect(discord.posts().map((c) => c.text)).toEqual(['Hi Discord']);
  });

  it('sends at once, after a start lets go of claims a stopped process left, what would wait a minute', async () => {
    await send('left', 'Left by a process that stopped');
    // A process claimed it and stopped before sending it: its claim lasts a minute.
    await db.db
      .update(schema.outbox)
      .set({ claimToken: 'gone', claimedUntil: new Date(clock.now().getTime() + 60_000) });
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    expect(await releaseLeftClaims(db.db)).toBe(1);
    await dispatcher.dispatchDue();
    expect(slack.posts().map((c) => c.text)).toEqual(['Left by a process that stopped']);
  });

  it('starts and stops its tick cleanly', async () => {
    dispatcher.start();
    await dispatcher.stop();
  });
});
