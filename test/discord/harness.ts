import {
  createDiscordPlatform,
  type DiscordPlatform,
  type DiscordTuning,
} from '../../adapters/discord/index.js';
import { createApp } from '../../src/app.js';
import type { EventHandler } from '../../src/chat/index.js';
import { type Clock, systemClock } from '../../src/clock.js';
import { catalogue } from '../../src/commands/catalogue.js';
import type { CommandSpec } from '../../src/commands/types.js';
import type { AppDeps } from '../../src/deps.js';
import type { Feature } from '../../src/features.js';
import { createInbox } from '../../src/inbox.js';
import { createDispatcher, createScheduler, type Dispatcher, type Scheduler } from '../../src/jobs/index.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { featuresWith } from '../support/features.js';

/** A re-IDENTIFY otherwise waits ~6 s in discord.js's identify throttle. */
export const NO_IDENTIFY_WAIT: DiscordTuning['ws'] = {
  buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }),
};

/** People in the fake server: Ann manages it; Bo and Cy are ordinary members. */
export const ANN = fakeMember('ann', { nick: 'Ann', manageServer: true });
export const BO = fakeMember('bo', { globalName: 'Bo Jones' });
export const CY = fakeMember('cy');

export interface HarnessOptions {
  readonly extraFeatures?: readonly Feature[];
  readonly fake?: FakeDiscordOptions;
  readonly tuning?: DiscordTuning;
  /** Wraps the core's handler, e.g. to make it slow. The core itself is never replaced. */
  readonly wrap?: (handle: EventHandler) => EventHandler;
  readonly catalogue?: readonly CommandSpec[];
  readonly logger?: Logger;
  /** The core's, dispatcher's and scheduler's clock (default the system clock), e.g. fixedClock(...). */
  readonly clock?: Clock;
  /** The dispatcher's rate limits: Discord's (the default), or `unlimited` for tests of something else. */
  readonly limits?: Parameters<typeof createDispatcher>[0]['limits'];
  /** COPRO_ENCRYPTION_KEY, for features that keep special-category data. */
  readonly encryptionKey?: Buffer;
}

export interface Harness {
  readonly db: TestDb;
  readonly fake: FakeDiscord;
  readonly discord: DiscordPlatform;
  readonly deps: AppDeps;
  /** Delivers what the outbox holds now, as the dispatcher's tick would. */
  readonly dispatcher: Dispatcher;
  /** The durable scheduler over the core's jobs: runDue() does what its tick would. */
  readonly scheduler: Scheduler;
  /** Wait for work in flight, empty the database and forget what the fake recorded. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real core (createApp) and the real discord.js client, connected to a fake Discord on
 * 127.0.0.1 over REST and a WebSocket gateway, on a real database. Only Discord is faked.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await openTestDb();
  // Discord's 3-second window and the adapter's deferral are tested on their own (deferral.test.ts);
  // elsewhere both are generous, so a busy machine never turns a direct answer into a deferred one.
  const fake = await FakeDiscord.start({ interactionWindowMs: 60_000, ...options.fake });
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const platforms: AppDeps['platforms'] = {};
  // The outbox as main.ts wires it: polls and digests reach Discord through platform.post/update.
  const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms, limits: options.limits });
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms,
    outbox: { flush: () => dispatcher.dispatchDue() },
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
    // As main.ts provides it from COPRO_ENCRYPTION_KEY or the key file: never from the database.
    voterSecret: Buffer.alloc(32, 9),
  };
  const app = createApp(deps, featuresWith(options.extraFeatures));
  const scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });
  const discord = createDiscordPlatform(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    // As main.ts wires it: every interaction is kept in the inbox until handled.
    {
      logger,
      catalogue: options.catalogue ?? catalogue,
      inbox: createInbox(db.db, { key: options.encryptionKey, logger }),
    },
    { ws: NO_IDENTIFY_WAIT, deferAfterMs: 30_000, ...options.tuning },
  );
  deps.platforms.discord = discord;
  await discord.start(options.wrap ? options.wrap(app.handle) : app.handle);
  return {
    db,
    fake,
    discord,
    deps,
    dispatcher,
    scheduler,
    reset: async () => {
      await discord.settled();
      await db.reset();
      fake.clear();
    },
    // The client first: a fake closed under a live client makes it reconnect forever.
    close: async () => {
      await discord.stop();
      await fake.close();
      await db.close();
    },
  };
}
