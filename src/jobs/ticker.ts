import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { cronLogger } from './cron-logger.js';

export interface Ticker {
  /** Run the work now, unless a run is in progress: then wait for that one instead. */
  runNow(): Promise<unknown>;
  /** Run it on a node-cron schedule until stop(). */
  start(expression: string, name: string): void;
  readonly started: boolean;
  /** Stop ticking and wait for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Background work on a timer, never overlapping itself: a slow run is not joined by the next tick.
 * A failed run is logged as `failure` and the next tick tries again.
 */
export function createTicker(work: () => Promise<unknown>, logger: Logger, failure: string): Ticker {
  let task: ScheduledTask | undefined;
  let running: Promise<unknown> | undefined;
  function runNow(): Promise<unknown> {
    running ??= work()
      .catch((error: unknown) => logger.error({ err: error }, failure))
      .finally(() => {
        running = undefined;
      });
    return running;
  }
  return {
    runNow,
    start(expression, name) {
      task ??= cron.schedule(expression, () => void runNow(), {
        name,
        noOverlap: true,
        logger: cronLogger(logger),
      });
    },
    get started() {
      return task !== undefined;
    },
    async stop() {
      if (task) {
        await task.stop();
        await task.destroy();
        task = undefined;
      }
      await running;
    },
  };
}
