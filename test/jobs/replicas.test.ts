import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Db, type OpenedDb, openDb } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import {
  createDispatcher,
  createScheduler,
  enqueueMessage,
  scheduleJob,
  unlimited,
} from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { channel, logging, outboxRows, prepareRunLog, recordingPlatform, runs, text } from './support.js';

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
  await prepareRunLog(db.db);
  clock.set('2026-11-23T09:00:00Z');
});

describe(`two replicas on one ${onServer ? 'Postgres server (separate pools, truly concurrent)' : 'PGlite database (interleaved)'}`, () => {
  it('run each of 100 due occurrences exactly once between them', async () => {
    for (let i = 0; i < 100; i++) {
      await scheduleJob(db.db, {
        kind: 'test.work',
        key: `job:${i}`,
        runAt: new Date('2026-11-23T08:00:00Z'),
      });
    }
    const a = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers: logging('a', onServer) });
    const b = createScheduler({
      db: replicaDb,
      clock,
      logger: silentLogger(),
      handlers: logging('b', onServer),
    });
    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ra.done + rb.done).toBe(100);
    const all = await runs(db.db);
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
});
