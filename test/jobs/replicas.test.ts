import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Db, type OpenedDb, openDb } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import {
  createDispatcher,
  createScheduler,
  enqueueMessage,
  type JobHandlers,
  scheduleJob,
  unlimited,
} from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { channel, outboxRows, recordingPlatform, text } from './support.js';

/**
 * Two copro replicas on one database. On PGlite both share the single in-process instance (their
 * calls interleave but never overlap), so the tests there prove the bookkeeping; on a server each
 * replica has its own connection pool and they really run at the same time.
 */
let db: TestDb;
let other: OpenedDb | undefined;
/** The second replica's database: its own pool on a server, the same instance on PGlite. */
let replicaDb: Db;
const onServer = Boolean(process.env.TEST_DATABASE_URL);
const clock = fixedClock('2026-11-23T09:00:00Z');

beforeAll(async () => {
  db = await openTestDb();
  if (db.kind === 'postgres') {
    other = await openDb({ databaseUrl: db.location, dataDir: '' });
    replicaDb = other.db;
  } else {
    replicaDb = db.db;
  }
});
afterAll(async () => {
  await other?.close();
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  // Not part of the schema: a plain log of handler runs, with no unique key to hide a double run.
  await db.db.execute(
    sql`create table if not exists test_job_runs (key text not null, replica text not null)`,
  );
  await db.db.execute(sql`truncate test_job_runs`);
  clock.set('2026-11-23T09:00:00Z');
});

function logging(replica: string): JobHandlers {
  return {
    'test.work': {
      async run({ tx, job, now }) {
        await tx.execute(sql`insert into test_job_runs (key, replica) values (${job.key}, ${replica})`);
        if (onServer) await tx.execute(sql`select pg_sleep(0.002)`);
        await enqueueMessage(tx, now, {
          purpose: `work:${job.key}`,
          platform: 'console',
          destination: channel('C1'),
          message: text(job.key),
        });
      },
    },
  };
}

async function runs(): Promise<{ key: string; replica: string }[]> {
  const result = await db.db.execute<{ key: string; replica: string }>(
    sql`select key, replica from test_job_runs`,
  );
  return Array.isArray(result)
    ? result
    : (result as unknown as { rows: { key: string; replica: string }[] }).rows;
}

describe(`two replicas on one ${onServer ? 'Postgres server (separate pools, truly concurrent)' : 'PGlite database (interleaved)'}`, () => {
  it('run each of 100 due occurrences exactly once between them', async () => {
    for (let i = 0; i < 100; i++) {
      await scheduleJob(db.db, {
        kind: 'test.work',
        key: `job:${i}`,
        runAt: new Date('2026-11-23T08:00:00Z'),
      });
    }
    const a = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers: logging('a') });
    const b = createScheduler({ db: replicaDb, clock, logger: silentLogger(), handlers: logging('b') });
    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ra.done + rb.done).toBe(100);
    const all = await runs();
    expect(all).toHaveLength(100);
    expect(new Set(all.map((r) => r.key)).size).toBe(100);
    if (onServer) {
      // Both really worked at once, rather than one finishing before the other began.
      expect(ra.done).toBeGreaterThan(0);
      expect(rb.done).toBeGreaterThan(0);
    }
  });

  it('never both deliver the same message: 60 queued messages arrive once each', async () => {
    await db.db.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        await enqueueMessage(tx, clock.now(), {
          purpose: `m:${i}`,
          platform: 'console',
          destination: channel(`C${i % 7}`),
          message: text(`message ${i}`),
        });
      }
    });
    const platform = recordingPlatform(clock, 'console');
    const slowPost = platform.post.bind(platform);
    platform.post = async (to, message) => {
      await new Promise((resolve) => setImmediate(resolve));
      return slowPost(to, message);
    };
    const options = {
      clock,
      logger: silentLogger(),
      platforms: { console: platform },
      limits: unlimited,
      batchSize: 5,
    };
    const a = createDispatcher({ ...options, db: db.db });
    const b = createDispatcher({ ...options, db: replicaDb });
    const [sa, sb] = await Promise.all([a.dispatchDue(), b.dispatchDue()]);
    expect(sa.posted + sb.posted).toBe(60);
    const texts = platform.posts().map((c) => c.text);
    expect(texts).toHaveLength(60);
    expect(new Set(texts).size).toBe(60);
    expect((await outboxRows(db.db)).every((r) => r.status === 'sent')).toBe(true);
  });

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
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
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
      expect(await runs()).toEqual([{ key: 'fragile', replica: 'b' }]);
      expect(platform.posts().map((c) => c.text)).toEqual(['fragile']);
    },
  );
});
