import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPlatform, type SlackPlatform } from '../../adapters/slack/index.js';
import { fixedClock } from '../../src/clock.js';
import { createDispatcher, type Dispatcher, enqueueMessage, upsertMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { channel, outboxRows, seedGroup, text } from './support.js';

/**
 * The outbox and dispatcher driving the real Slack adapter (the Slack WebClient underneath),
 * against the fake Slack Web API. Time is a fixed clock: nothing waits for real.
 */
let db: TestDb;
let fake: FakeSlack;
let slack: SlackPlatform;
let dispatcher: Dispatcher;
const START = '2026-11-23T09:00:00Z';
const clock = fixedClock(START);

beforeAll(async () => {
  db = await openTestDb();
  fake = await startFakeSlack();
  slack = createSlackPlatform(
    { botToken: fake.botToken, signingSecret: 's', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
    { logger: silentLogger(), health: async () => true },
  );
});
afterAll(async () => {
  await fake.close();
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  fake.clear();
  clock.set(START);
  dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { slack } });
});

const send = (purpose: string, body: string, groupId?: number, to = 'C1') =>
  db.db.transaction((tx) =>
    enqueueMessage(tx, clock.now(), {
      purpose,
      platform: 'slack',
      destination: channel(to),
      message: text(body),
      groupId,
    }),
  );
const upsert = (purpose: string, body: string) =>
  db.db.transaction((tx) =>
    upsertMessage(tx, clock.now(), {
      purpose,
      platform: 'slack',
      destination: channel('C1'),
      message: text(body),
    }),
  );
const accepted = (method: string) =>
  fake.callsTo(method).filter((c) => c.status === 200 && (c.answer as { ok: boolean }).ok);

describe('the outbox delivering through the Slack adapter to the fake Slack API', () => {
  it('retries a 429 with Retry-After: 2 no sooner than 2 seconds later, and the message arrives once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await send('hello', 'Hello group');
    expect(await dispatcher.dispatchDue()).toMatchObject({ retried: 1, posted: 0 });
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429]);

    clock.advance(1_999);
    await dispatcher.dispatchDue();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1); // not retried early

    clock.advance(1);
    expect(await dispatcher.dispatchDue()).toMatchObject({ posted: 1 });
    await dispatcher.dispatchDue();
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(accepted('chat.postMessage').map((c) => c.body.text)).toEqual(['Hello group']);
  });

  it('retries after a 500 and the message arrives once', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    await send('hello', 'Hello group');
    expect(await dispatcher.dispatchDue()).toMatchObject({ retried: 1 });
    clock.advance(5_000);
    expect(await dispatcher.dispatchDue()).toMatchObject({ posted: 1 });
    clock.advance(60_000);
    await dispatcher.dispatchDue();
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 200]);
    expect(accepted('chat.postMessage')).toHaveLength(1);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent' });
  });

  it('merges repeated updates of one message into one chat.update of the message it posted, latest wins', async () => {
    await upsert('poll:7', 'Votes so far: 1');
    await dispatcher.dispatchDue();
    const ts = (accepted('chat.postMessage')[0]!.answer as { ts: string }).ts;
    for (let votes = 2; votes <= 6; votes++) await upsert('poll:7', `Votes so far: ${votes}`);
    clock.advance(1_000);
    await dispatcher.dispatchDue();
    await dispatcher.dispatchDue();
    expect(accepted('chat.postMessage')).toHaveLength(1);
    const updates = accepted('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ channel: 'C1', ts, text: 'Votes so far: 6' });
  });

  it('dead-letters a message for a channel Slack does not know, and tells the coordinators by DM', async () => {
    const group = await seedGroup(db.db, { coordinators: ['U-ann'] });
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await send('notice', 'Meeting moved to Friday', group.id, 'C-gone');
    expect(await dispatcher.dispatchDue()).toMatchObject({ dead: 1, posted: 1 });
    expect(fake.callsTo('conversations.open')[0]?.body.users).toBe('U-ann');
    const note = accepted('chat.postMessage')[0]!;
    expect(String(note.body.text)).toContain('copro could not deliver a message to a channel');
    expect((await outboxRows(db.db)).map((r) => r.status)).toEqual(['dead', 'sent']);
  });

  it('sends messages to one channel a second apart, the pace Slack allows', async () => {
    await send('a', 'First');
    await send('b', 'Second');
    await dispatcher.dispatchDue();
    expect(accepted('chat.postMessage').map((c) => c.body.text)).toEqual(['First']);
    clock.advance(1_000);
    await dispatcher.dispatchDue();
    expect(accepted('chat.postMessage').map((c) => c.body.text)).toEqual(['First', 'Second']);
  });
});
