import { createConsolePlatform } from '../adapters/console/index.js';
import { openDb } from '../db/client.js';
import { createApp } from './app.js';
import type { ChatPlatform } from './chat/index.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import type { AppDeps } from './deps.js';
import { createLogger } from './logger.js';

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
  const onlyTerminal = !config.slack && !config.discord;
  const logger = createLogger(config.logLevel ?? (onlyTerminal ? 'warn' : 'info'));
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info({ database: database.kind }, 'database ready');

  const deps: AppDeps = {
    db: database.db,
    clock: systemClock,
    logger,
    platforms: {},
    encryptionKey: config.encryptionKey,
  };
  const app = createApp(deps);
  const started: ChatPlatform[] = [];
  let finished: Promise<void> | undefined;

  if (onlyTerminal) {
    const terminal = createConsolePlatform({
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
    });
    deps.platforms.console = terminal;
    finished = terminal.finished;
    started.push(terminal);
  }
  for (const platform of started) await platform.start(app.handle);

  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      for (const platform of started.reverse()) {
        await platform
          .stop()
          .catch((err: unknown) => logger.error({ err, platform: platform.kind }, 'stop failed'));
      }
      await database.close();
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `copro could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
