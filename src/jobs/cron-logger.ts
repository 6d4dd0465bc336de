import type { Logger } from '../logger.js';

/** The shape node-cron accepts as a task's `logger` option. */
interface CronLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, err?: Error): void;
  debug(message: string | Error, err?: Error): void;
}

/**
 * node-cron writes its own lines to the console (`[NODE-CRON] [WARN] missed execution ...`),
 * which land in the middle of the terminal chat and ignore LOG_LEVEL. This sends them to our
 * logger instead. A missed tick is routine on a busy machine (the next tick does the work that
 * was due), so node-cron's warnings are logged at debug level; its errors stay errors.
 */
export function cronLogger(logger: Logger): CronLogger {
  const log = logger.child({ component: 'node-cron' });
  const error = (message: string | Error, err?: Error) =>
    message instanceof Error ? log.error({ err: message }, message.message) : log.error({ err }, message);
  return {
    info: (message) => log.debug(message),
    warn: (message) => log.debug(message),
    debug: (message, err) =>
      message instanceof Error ? log.debug({ err: message }) : log.debug({ err }, message),
    error,
  };
}
