import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { fixedClock } from '../../src/clock.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { createDispatcher, type Dispatcher, enqueueMessage, upsertMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { outboxRows, text } from './support.js';

/**
 * The outbox and dispatcher driving the real Discord adapter (discord.js REST underneath, no
 * gateway needed to post), against the fake Discord API. Time is a fixed clock.
 *
 * A 429 is not tested here: discord.js keeps its own rate-limit buckets on the real clock and
 * refuses further calls locally until they reset, which a fixed clock cannot move. The Slack test
 * covers Retry-After end to end; test/discord/outbound.test.ts covers Discord's translation.
 */
let db: TestDb;
let fake: FakeDiscord;
let discord: DiscordPlatform;
let dispatcher: Dispatcher;
const START = '2026-11-23T09:00:00Z';
const clock = fixedClock(START);

beforeAll(async () => {
  db = await openTestDb();
  fake = await FakeDiscord.start();
  discord = createDiscordPlatform(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { logger: silentLogger(), catalogue },
  );
});
afterAll(async () => {
  await discord.stop();
  await fake.close();
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  fake.clear();
  clock.set(START);
  dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { discord } });
});

const destination = () => ({ kind: 'channel' as const, channelId: fake.channelId });
const posts = () => fake.requestsTo('POST', /\/channels\/\d+\/messages$/);
const send = (purpose: string, body: string) =>
  db.db.transaction((tx) =>
    enqueueMessage(tx, clock.now(), {
      purpose,
      platform: 'discord',
      destination: destination(),
      message: text(body),
    }),
  );
const upsert = (purpose: string, body: string) =>
  db.db.transaction((tx) =>
    upsertMessage(tx, clock.now(), {
      purpose,
      platform: 'discord',
      destination: destination(),
      message: text(body),
    }),
  );

describe('the outbox delivering through the Discord adapter to the fake Discord API', () => {
  it('retries after a 503 and the message arrives once', async () => {
    fake.failNext(/\/channels\/\d+\/messages$/, { status: 503 }, 'POST');
    await send('hello', 'Hello group');
    await dispatcher.dispatchDue();
    clock.advance(5_000);
    await dispatcher.dispatchDue();
    clock.advance(60_000);
    await dispatcher.dispatchDue();
    expect(posts()).toHaveLength(2); // the refused one, then the one that arrived
    expect(fake.messagesIn(fake.channelId).map((m) => m.content)).toEqual(['Hello group']);
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'sent' });
  });

  it('merges repeated updates into one edit of the message it posted, latest wins', async () => {
    await upsert('poll:7', 'Votes so far: 1');
    await dispatcher.dispatchDue();
    for (let votes = 2; votes <= 5; votes++) await upsert('poll:7', `Votes so far: ${votes}`);
    await dispatcher.dispatchDue();
    expect(fake.requestsTo('PATCH', /\/channels\/\d+\/messages\/\d+$/)).toHaveLength(1);
    expect(fake.messagesIn(fake.channelId)).toEqual([
      expect.objectContaining({ content: 'Votes so far: 5', edits: 1 }),
    ]);
  });
});
