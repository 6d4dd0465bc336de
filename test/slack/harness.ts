import { sql } from 'drizzle-orm';
import { createSlackPlatform, type SlackPlatform } from '../../adapters/slack/index.js';
import { createApp } from '../../src/app.js';
import { type Clock, systemClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import type { Feature } from '../../src/features.js';
import { createInbox } from '../../src/inbox.js';
import {
  createDispatcher,
  createScheduler,
  type Dispatcher,
  type Scheduler,
  unlimited,
} from '../../src/jobs/index.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { featuresWith } from '../support/features.js';
import { type SlackDriver, slackDriver } from '../support/slack-driver.js';

export const SIGNING_SECRET = 'test-signing-secret';

/** People in the fake workspace: Ann administers it, Bo and Cy do not. */
export const ANN = { id: 'UANN', name: 'ann' };
export const BO = { id: 'UBO', name: 'bo' };
export const CY = { id: 'UCY', name: 'cy' };

export interface Harness {
  readonly db: TestDb;
  readonly fake: FakeSlack;
  readonly slack: SlackPlatform;
  readonly driver: SlackDriver;
  readonly deps: AppDeps;
  /** Delivers what the outbox holds now, as the dispatcher's tick would (on the harness clock). */
  readonly dispatcher: Dispatcher;
  /** The durable scheduler over the core's jobs: runDue() does what its tick would. */
  readonly scheduler: Scheduler;
  /** Empty the database and forget recorded Slack calls. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real core (createApp) and the real Bolt app over HTTP on 127.0.0.1, a real database, and
 * only Slack itself faked. `extraFeatures` add test-only forms or buttons beside the real ones.
 */
export async function startHarness(
  options: {
    extraFeatures?: readonly Feature[];
    appToken?: boolean;
    logger?: Logger;
    /** Deliver the outbox through the real dispatcher (with no rate limits), when the core flushes it. */
    outbox?: boolean;
    /** The core's, dispatcher's and scheduler's clock (default the system clock), e.g. fixedClock(...). */
    clock?: Clock;
    /** COPRO_ENCRYPTION_KEY, for features that keep special-category data. */
    encryptionKey?: Buffer;
    /** How long a form may wait for the core before it is closed without an answer. */
    formAnswerWithinMs?: number;
    /** How often someone counted under their click's name is looked up afterwards. */
    learnEveryMs?: number;
    /** Deliveries in hand while others wait for their acknowledgement (main.ts gives 32 on a server). */
    handledAtOnce?: number;
    /** Answers to clicks held while other deliveries wait (main.ts does so on a server). */
    holdReplies?: boolean;
  } = {},
): Promise<Harness> {
  const db = await openTestDb();
  const fake = await startFakeSlack({
    users: [
      {
        id: ANN.id,
        name: ANN.name,
        realName: 'Ann Admin',
        displayName: 'Ann',
        isAdmin: true,
        tz: 'Europe/London',
      },
      { id: BO.id, name: BO.name, realName: 'Bo Member', tz: 'America/New_York' },
      { id: CY.id, name: CY.name, displayName: 'Cy' },
      { id: 'UOTHERBOT', name: 'otherbot', isBot: true },
    ],
    // Bo, who is not a workspace admin, created #bos-group.
    channelCreators: { C0BOS: BO.id },
  });
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const platforms: AppDeps['platforms'] = {};
  const dispatcher = createDispatcher({
    db: db.db,
    clock,
    logger,
    platforms,
    limits: unlimited,
  });
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms,
    // As main.ts provides it from COPRO_ENCRYPTION_KEY or the key file: never from the database.
    voterSecret: Buffer.alloc(32, 9),
    ...(options.outbox ? { outbox: { flush: () => dispatcher.dispatchDue() } } : {}),
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
  };
  const app = createApp(deps, featuresWith(options.extraFeatures));
  const scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });
  const slack = createSlackPlatform(
    {
      botToken: fake.botToken,
      signingSecret: SIGNING_SECRET,
      appToken: options.appToken ? 'xapp-fake-token' : undefined,
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
    },
    {
      logger,
      health: () => db.ping(),
      inbox: createInbox(db.db, { key: options.encryptionKey, logger }),
      inboxPatienceMs: 30_000,
      formAnswerWithinMs: options.formAnswerWithinMs,
      learnEveryMs: options.learnEveryMs,
      handledAtOnce: options.handledAtOnce,
      holdReplies: options.holdReplies,
    },
  );
  deps.platforms.slack = slack;
  await slack.start(app.handle);
  const driver = slackDriver({
    url: `http://127.0.0.1:${slack.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    teamId: fake.teamId,
    responseUrl: (id) => fake.responseUrl(id),
  });
  return {
    db,
    fake,
    slack,
    driver,
    deps,
    dispatcher,
    scheduler,
    reset: async () => {
      await slack.settled();
      await db.reset();
      fake.clear();
    },
    close: async () => {
      await slack.stop();
      await fake.close();
      await db.close();
    },
  };
}

/** Rows of a table, for asserting what was (or was not) stored. */
export async function rows(db: TestDb, table: string): Promise<Record<string, unknown>[]> {
  const result = await db.db.execute(sql.raw(`select * from ${table}`));
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<
    string,
    unknown
  >[];
}
