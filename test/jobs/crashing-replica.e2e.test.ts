import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createDispatcher, createScheduler, scheduleJob } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { logging, outboxRows, prepareRunLog, recordingPlatform, runs } from './support.js';

/**
 * A replica that dies mid-job is a separate process killed with SIGKILL. PGlite serves only the
 * process that opened it, so this runs on a server (TEST_DATABASE_URL) only.
 */
const onServer = Boolean(process.env.TEST_DATABASE_URL);
const clock = fixedClock('2026-11-23T09:00:00Z');
let db: TestDb;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  await prepareRunLog(db.db);
});

describe('a replica killed mid-job', () => {
  it.runIf(onServer)(
    'on a server: a replica killed mid-job (before its commit) leaves no trace; another runs the job and sends its message once',
    async () => {
      await scheduleJob(db.db, {
        kind: 'test.work',
        key: 'fragile',
        runAt: new Date('2026-11-23T08:00:00Z'),
      });
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/jobs/crashing-replica.ts', db.location, clock.now().toISOString()],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await outboxRows(db.db)).toHaveLength(0);
      // A crash is not a counted failure: the job is due again at once.
      const b = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers: logging('b') });
      expect(await b.runDue()).toMatchObject({ done: 1 });
      expect(await b.runDue()).toMatchObject({ done: 0 });
      const platform = recordingPlatform(clock, 'console');
      await createDispatcher({
        db: db.db,
        clock,
        logger: silentLogger(),
        platforms: { console: platform },
      }).dispatchDue();
      expect(await runs(db.db)).toEqual([{ key: 'fragile', replica: 'b' }]);
      expect(platform.posts().map((c) => c.text)).toEqual(['fragile']);
    },
  );
});
