import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import type { Destination } from '../../src/chat/index.js';
import { systemClock } from '../../src/clock.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { createDispatcher, type Dispatcher, enqueueMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { BO, CY } from '../discord/harness.js';
import type { TestDb } from '../support/db.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { until } from '../support/slack-process.js';
import { rows, serverDb } from './support.js';

/**
 * The outbox delivering to Discord (the real adapter over REST, the real dispatcher ticking every
 * second, as `npm start` runs them) while Discord answers every message post with 429 for 30
 * seconds, each with retry_after 2. Eight messages each wait for the group's channel and for two
 * people's DMs, queued in order as copro's jobs queue them.
 */
const STORM_MS = 30_000;
const EACH = 8;

let fake: FakeDiscord;
let db: TestDb;
let discord: DiscordPlatform;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await serverDb();
  fake = await FakeDiscord.start();
  discord = createDiscordPlatform(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { logger: silentLogger(), catalogue },
  );
  dispatcher = createDispatcher({
    db: db.db,
    clock: systemClock,
    logger: silentLogger(),
    platforms: { discord },
  });
});
afterAll(async () => {
  await dispatcher?.stop();
  await discord?.stop();
  await fake?.close();
  await db?.close();
});

describe('a storm of 429s from Discord', () => {
  it('sends nothing before retry_after, loses nothing, and keeps each channel in order', async () => {
    const places: Record<string, Destination> = {
      channel: { kind: 'channel', channelId: fake.channelId },
      bo: { kind: 'dm', userId: BO.user.id },
      cy: { kind: 'dm', userId: CY.user.id },
    };
    fake.storm({ forMs: STORM_MS, retryAfter: 2 });
    const stormEnds = Date.now() + STORM_MS;
    dispatcher.start();
    for (let n = 1; n <= EACH; n++) {
      for (const [name, destination] of Object.entries(places)) {
        await db.db.transaction((tx) =>
          enqueueMessage(tx, systemClock.now(), {
            purpose: `note:${n}`,
            platform: 'discord',
            destination,
            message: { text: `Note ${n} for ${name}` },
          }),
        );
      }
    }

    const arrived = (channelId: string | undefined) =>
      channelId ? fake.messagesIn(channelId).map((m) => String(m.content)) : [];
    const dmChannel = (userId: string) => fake.dmChannels.get(userId);
    const seen = () => ({
      channel: arrived(fake.channelId),
      bo: arrived(dmChannel(BO.user.id)),
      cy: arrived(dmChannel(CY.user.id)),
    });
    await until(
      () => Object.values(seen()).every((texts) => texts.length >= EACH),
      'every message to arrive once the storm has passed',
      STORM_MS + 240_000,
    ).catch(async (error: Error) => {
      const queued = await rows(db, sql`select id, purpose, status, attempts, last_error from outbox`);
      throw new Error(`${error.message}\n${JSON.stringify(queued)}\n${JSON.stringify(seen())}`);
    });
    expect(Date.now()).toBeGreaterThanOrEqual(stormEnds);

    // The storm did refuse posts, and none came back too soon.
    expect(fake.requestsTo('POST', /^\/channels\/[^/]+\/messages$/).length).toBeGreaterThan(3 * EACH);
    expect(fake.earlyCalls()).toEqual([]);
    for (const [name, texts] of Object.entries(seen()))
      expect(texts).toEqual(Array.from({ length: EACH }, (_, i) => `Note ${i + 1} for ${name}`));
    // The last post reaches Discord a moment before copro records it as sent.
    const unsent = () => rows(db, sql`select purpose, status from outbox where status <> 'sent'`);
    await until(async () => (await unsent()).length === 0, 'every message to be recorded as sent', 30_000);
    expect(await unsent()).toEqual([]);
  });
});
