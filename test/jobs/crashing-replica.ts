/**
 * A copro replica that dies in the middle of a job: it claims the job, queues the job's message
 * in the same transaction, and is killed (SIGKILL, no clean-up) before the commit. Started as a
 * child process by crashing-replica.e2e.test.ts: argv = database URL, clock time (ISO).
 */
import { openDb } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { createScheduler, enqueueMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';

const [databaseUrl, now] = process.argv.slice(2) as [string, string];
const opened = await openDb({ databaseUrl, dataDir: '', maxConnections: 1 });
const scheduler = createScheduler({
  db: opened.db,
  clock: fixedClock(now),
  logger: silentLogger(),
  handlers: {
    'test.work': {
      async run({ tx, job, now: at }) {
        await enqueueMessage(tx, at, {
          purpose: `work:${job.key}`,
          platform: 'console',
          destination: { kind: 'channel', channelId: 'C1' },
          message: { text: job.key },
        });
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => {});
      },
    },
  },
});
await scheduler.runDue();
