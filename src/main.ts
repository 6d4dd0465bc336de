import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/client.js';
import { claimEmbeddedData } from '../db/lock.js';
import { createApp, defaultFeatures } from './app.js';
import type { ChatPlatform } from './chat/index.js';
import { systemClock } from './clock.js';
import { catalogue } from './commands/catalogue.js';
import { type Config, ConfigError, keyringOf, loadConfig } from './config.js';
import type { AppDeps } from './deps.js';
import { errorRef } from './errors.js';
import { createInbox } from './inbox.js';
import { createDispatcher, createScheduler, releaseLeftClaims } from './jobs/index.js';
import { createLogger, type Logger, terminalLog } from './logger.js';
import { unreadableAtStart } from './privacy/unreadable-at-start.js';
import { personalDataOf } from './registry.js';
import { checkSetup } from './setup-check.js';
import { whyNotStarted } from './start-failure.js';
import { voterSecretFor } from './voter-secret.js';

/** The composition root: config → database → features → platforms. The only place that picks adapters. */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  if (process.argv[2] === 'check') return setupCheck(config);
  const onlyTerminal = !config.slack && !config.discord;
  const logger = createLogger(
    config.logLevel ?? (onlyTerminal ? 'warn' : 'info'),
    onlyTerminal && !config.logLevel
      ? terminalLog(
          process.stderr,
          config.dataDir.startsWith('memory://') ? undefined : join(config.dataDir, 'copro.log'),
        )
      : undefined,
  );
  keepServingAfterStrayFailures(logger);
  const claim = claimEmbeddedData(config);
  if ('inUse' in claim) {
    process.stderr.write(`${claim.inUse}\n`);
    return 75; // EX_TEMPFAIL
  }
  const unlock = claim.release;
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info({ database: database.kind }, 'database ready');
  // This process alone holds the embedded database: what a stopped one had claimed is free again.
  if (database.kind === 'pglite') await releaseLeftClaims(database.db);

  const key = keyringOf(config);
  const features = defaultFeatures();
  const locked = await unreadableAtStart(database.db, personalDataOf(features), key);
  if (locked && !config.startWithUnreadable) {
    process.stderr.write(`copro cannot start: ${locked.problem}\n`);
    await database.close();
    unlock();
    return 78; // EX_CONFIG
  }
  if (locked)
    logger.warn(
      { count: locked.count },
      'started with encrypted answers no key given opens (COPRO_START_WITH_UNREADABLE): nobody is shown them',
    );
  const platforms: AppDeps['platforms'] = {};
  const dispatcher = createDispatcher({ db: database.db, clock: systemClock, logger, platforms });
  const deps: AppDeps = {
    db: database.db,
    clock: systemClock,
    logger,
    platforms,
    outbox: { flush: () => dispatcher.dispatchDue() },
    encryptionKey: key,
    voterSecret: await voterSecretFor(config, database.db, key),
    removedWorkspaceDays: config.removedWorkspaceDays,
  };
  if (!deps.voterSecret && key)
    logger.warn(
      'anonymous polls are off, and a member\'s avoid list ends when the person it names is erased: their key is stored encrypted with a key copro was not given; set COPRO_PREVIOUS_ENCRYPTION_KEY to the key used before (README, "Changing the encryption key")',
    );
  else if (!deps.voterSecret)
    logger.warn(
      "anonymous polls are off, and a member's avoid list ends when the person it names is erased: set COPRO_ENCRYPTION_KEY to keep their key outside the database",
    );
  // Deliveries are kept sealed whenever copro holds a key outside the database: the encryption
  // key, or else the anonymous polls' own (in its file beside the embedded database).
  const inboxKey = key ?? deps.voterSecret;
  // Kept before COPRO_ENCRYPTION_KEY was first set, a delivery was sealed with the key file's.
  const inboxAlso = key && deps.voterSecret ? [deps.voterSecret] : [];
  const app = createApp(deps, features);
  const scheduler = createScheduler({
    db: database.db,
    clock: systemClock,
    logger,
    handlers: app.jobs,
    sweeps: app.sweeps,
  });
  const started: ChatPlatform[] = [];
  let finished: Promise<void> | undefined;

  // Each platform's code (and its SDK: tens of MB each) is loaded only when it is turned on.
  if (config.slack) {
    const { createSlackPlatform, ON_A_DATABASE_SERVER } = await import('../adapters/slack/index.js');
    const slack = createSlackPlatform(
      { ...config.slack, port: config.port },
      {
        logger,
        health: database.ping,
        inbox: createInbox(database.db, { key: inboxKey, alsoOpenWith: inboxAlso, logger }),
        ...(database.kind === 'postgres' ? ON_A_DATABASE_SERVER : {}),
      },
    );
    platforms.slack = slack;
    started.push(slack);
  }
  if (config.discord) {
    const { createDiscordPlatform } = await import('../adapters/discord/index.js');
    const discord = createDiscordPlatform(config.discord, {
      logger,
      catalogue,
      inbox: createInbox(database.db, { key: inboxKey, alsoOpenWith: inboxAlso, logger }),
    });
    platforms.discord = discord;
    started.push(discord);
  }

  if (onlyTerminal) {
    const { createConsolePlatform } = await import('../adapters/console/index.js');
    const terminal = createConsolePlatform({
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      filesDir: filesDirOf(config.dataDir),
    });
    deps.platforms.console = terminal;
    finished = terminal.finished;
    started.push(terminal);
  }
  for (const platform of started) await platform.start(app.handle);
  // Jobs missed while copro was down run now, by the catch-up policy; then both tick.
  await scheduler.start();
  dispatcher.start();

  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      await scheduler.stop();
      await dispatcher.stop();
      // Deliver what the last commands queued (the terminal chat ends right after its input).
      await dispatcher.dispatchDue().catch((err: unknown) => logger.error({ err }, 'final delivery failed'));
      for (const platform of started.reverse()) {
        await platform
          .stop()
          .catch((err: unknown) => logger.error({ err, platform: platform.kind }, 'stop failed'));
      }
      await database.close();
      unlock();
      return code;
    })();
    return stopping;
  };
  return new Promise<number>((resolve) => {
    process.once('SIGTERM', () => void shutdown('SIGTERM', 0).then(resolve));
    process.once('SIGINT', () => void shutdown('SIGINT', 0).then(resolve));
    finished?.then(() => shutdown('end of input', 0).then(resolve));
  });
}

/**
 * A promise rejected with nobody waiting on it has not left shared state half-changed, so it is
 * logged and copro keeps serving. A thrown exception that reached the top might have, so it is
 * logged and copro stops at once with a failure code, for a supervisor to restart it.
 */
/** Files the terminal chat saves go beside the data; with an in-memory database, in a temporary folder. */
function filesDirOf(dataDir: string): string {
  return dataDir.startsWith('memory://') ? join(tmpdir(), 'copro-files') : join(dataDir, 'files');
}

function keepServingAfterStrayFailures(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ ref: errorRef(), err: reason }, 'a background task failed; carrying on');
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ ref: errorRef(), err: error }, 'unexpected failure; stopping');
    process.exit(70); // EX_SOFTWARE
  });
}

/** `npm run check`: the environment `npm start` would use, checked without starting copro. */
function setupCheck(config: Config): Promise<number> {
  const logger = createLogger('silent');
  return checkSetup(
    {
      config,
      openDb,
      slack: async (slack) => {
        const { checkSlackCredentials } = await import('../adapters/slack/credentials.js');
        return (await checkSlackCredentials(slack, logger)).results;
      },
      discord: async (...args) => {
        const { checkDiscordSetup } = await import('../adapters/discord/credentials.js');
        return checkDiscordSetup(...args);
      },
    },
    process.stdout,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${whyNotStarted(error)}\n`);
    process.exit(1);
  },
);
