import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema, type Tx } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import {
  type CatchUpPolicy,
  cancelJobs,
  createDispatcher,
  createScheduler,
  enqueueMessage,
  type JobHandlers,
  pruneFinished,
  scheduleJob,
} from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { channel, jobRow, outboxRows, recordingPlatform, seedGroup, text } from './support.js';

let db: TestDb;
const START = '2026-11-23T09:00:00Z';
const clock = fixedClock(START);
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set(START);
});

/** A handler that posts one message to the channel per run, through the outbox. */
function announcing(
  runs: string[],
  options: { failTimes?: number; policy?: CatchUpPolicy } = {},
): JobHandlers {
  let failures = options.failTimes ?? 0;
  return {
    'test.announce': {
      policy: options.policy,
      describe: () => 'post the meeting reminder',
      async run({ tx, job, now }) {
        await enqueueMessage(tx, now, {
          purpose: `announce:${job.key}`,
          platform: 'slack',
          destination: channel('C1'),
          message: text(`Reminder ${job.key}`),
          groupId: job.groupId ?? undefined,
        });
        if (failures > 0) {
          failures--;
          throw new Error('the process died here');
        }
        runs.push(job.key);
      },
    },
  };
}

describe('the job scheduler', () => {
  it('runs a due job once, and records it done in the same transaction as its message', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing(runs),
    });
    await scheduleJob(db.db, { kind: 'test.announce', key: 'r1', runAt: at('2026-11-23T08:59:00Z') });
    await scheduleJob(db.db, { kind: 'test.announce', key: 'later', runAt: at('2026-11-23T09:00:01Z') });
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect(await scheduler.runDue()).toMatchObject({ done: 0 });
    expect(runs).toEqual(['r1']);
    expect(await jobRow(db.db, 'r1')).toMatchObject({ status: 'done', attempts: 1 });
    expect(await jobRow(db.db, 'later')).toMatchObject({ status: 'pending' });
    expect((await outboxRows(db.db)).map((r) => r.purpose)).toEqual(['announce:r1']);
  });

  it('keeps one job when the same occurrence is scheduled twice, and never runs it again once done', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing(runs),
    });
    const job = { kind: 'test.announce', key: 'once', runAt: at(START) };
    expect(await scheduleJob(db.db, job)).toBe(true);
    expect(await scheduleJob(db.db, job)).toBe(false);
    await scheduler.runDue();
    expect(await scheduleJob(db.db, job)).toBe(false);
    await scheduler.runDue();
    expect(runs).toEqual(['once']);
  });

  it('lets a cancelled occurrence be scheduled again, and does not run the cancelled one', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing(runs),
    });
    const job = { kind: 'test.announce', key: 'digest:1:mon', series: 'digest:1', runAt: at(START) };
    await scheduleJob(db.db, job);
    expect(await cancelJobs(db.db, clock.now(), { series: 'digest:1' })).toBe(1);
    expect(await scheduleJob(db.db, job)).toBe(true);
    await scheduler.runDue();
    expect(runs).toEqual(['digest:1:mon']);
    const rows = await db.db.select().from(schema.jobs).orderBy(schema.jobs.id);
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'done']);
  });

  it('leaves kinds it has no handler for to a replica that has one', async () => {
    const scheduler = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers: announcing([]) });
    await scheduleJob(db.db, { kind: 'poll.close', payload: { pollId: 1 }, key: 'p1', runAt: at(START) });
    expect(await scheduler.runDue()).toMatchObject({ done: 0 });
    expect(await jobRow(db.db, 'p1')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('after a crash between claiming and finishing, retries the job later and sends its message once', async () => {
    const runs: string[] = [];
    const slack = recordingPlatform(clock);
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing(runs, { failTimes: 1 }),
    });
    const dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { slack } });
    await scheduleJob(db.db, { kind: 'test.announce', key: 'r1', runAt: at(START) });

    expect(await scheduler.runDue()).toMatchObject({ done: 0, retrying: 1 });
    expect(await outboxRows(db.db)).toHaveLength(0); // the message rolled back with the job
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(0);
    expect(await jobRow(db.db, 'r1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'the process died here',
    });

    clock.advance(29_999);
    expect(await scheduler.runDue()).toMatchObject({ done: 0, retrying: 0 }); // still waiting out the backoff
    clock.advance(1);
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    await dispatcher.dispatchDue();
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    expect(runs).toEqual(['r1']);
    expect(slack.posts().map((c) => c.text)).toEqual(['Reminder r1']);
  });

  it('runs the other jobs due with a failing one, and counts the failure against that job alone', async () => {
    const runs: string[] = [];
    const handlers: JobHandlers = {
      'test.announce': {
        async run({ tx, job, now }) {
          await enqueueMessage(tx, now, {
            purpose: `announce:${job.key}`,
            platform: 'slack',
            destination: channel('C1'),
            message: text(`Reminder ${job.key}`),
          });
          if (job.key === 'r3') throw new Error('the meeting it reminds of is gone');
          runs.push(job.key);
        },
      },
    };
    const scheduler = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers });
    for (const key of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      await scheduleJob(db.db, { kind: 'test.announce', key, runAt: at('2026-11-23T08:59:00Z') });
    }
    expect(await scheduler.runDue()).toEqual({ done: 4, retrying: 1, failed: 0, dropped: 0 });
    // r1 and r2 ran in the batch that rolled back, then again: only their committed runs count.
    expect(new Set(runs)).toEqual(new Set(['r1', 'r2', 'r4', 'r5']));
    expect(await jobRow(db.db, 'r3')).toMatchObject({ status: 'pending', attempts: 1 });
    for (const key of ['r1', 'r2', 'r4', 'r5']) {
      expect(await jobRow(db.db, key)).toMatchObject({ status: 'done', attempts: 1 });
    }
    // The failed job's message rolled back with it; each other job's message is queued once.
    expect((await outboxRows(db.db)).map((r) => r.purpose).sort()).toEqual([
      'announce:r1',
      'announce:r2',
      'announce:r4',
      'announce:r5',
    ]);
  });

  it('runs jobs of a kind together when it can, and still blames a failure on the failing job alone', async () => {
    const together: string[][] = [];
    const alone: string[] = [];
    const announce = async (tx: Tx, key: string, now: Date) => {
      await enqueueMessage(tx, now, {
        purpose: `announce:${key}`,
        platform: 'slack',
        destination: channel('C1'),
        message: text(`Reminder ${key}`),
      });
      if (key === 'r3') throw new Error('the meeting it reminds of is gone');
    };
    const handlers: JobHandlers = {
      'test.announce': {
        async run({ tx, job, now }) {
          await announce(tx, job.key, now);
          alone.push(job.key);
        },
        async runMany({ tx, jobs, now }) {
          for (const job of jobs) await announce(tx, job.key, now);
          together.push(jobs.map((j) => j.key));
        },
      },
    };
    const scheduler = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers });
    for (const key of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      await scheduleJob(db.db, { kind: 'test.announce', key, runAt: at('2026-11-23T08:59:00Z') });
    }
    expect(await scheduler.runDue()).toEqual({ done: 4, retrying: 1, failed: 0, dropped: 0 });
    // All five together failed, so they ran one at a time until r3 failed; the rest, together again.
    expect(alone).toEqual(['r1', 'r2']);
    expect(together).toEqual([['r1', 'r2', 'r4', 'r5']]);
    expect(await jobRow(db.db, 'r3')).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await outboxRows(db.db)).map((r) => r.purpose).sort()).toEqual([
      'announce:r1',
      'announce:r2',
      'announce:r4',
      'announce:r5',
    ]);

    // With nothing failing, a batch of due jobs runs in one go.
    await scheduleJob(db.db, { kind: 'test.announce', key: 'r6', runAt: at('2026-11-23T08:59:00Z') });
    await scheduleJob(db.db, { kind: 'test.announce', key: 'r7', runAt: at('2026-11-23T08:59:00Z') });
    clock.set('2026-11-23T12:00:00Z'); // r3 is due again too, and fails again on its own
    await scheduler.runDue();
    expect(together.at(-1)).toEqual(['r6', 'r7']);
    expect(await jobRow(db.db, 'r6')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('stops after the attempt limit and tells the group coordinators, in plain words, once', async () => {
    const group = await seedGroup(db.db, { coordinators: ['U-ann'] });
    const slack = recordingPlatform(clock);
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing([], { failTimes: 99 }),
      maxAttempts: 3,
    });
    const dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms: { slack } });
    await scheduleJob(db.db, { kind: 'test.announce', key: 'r1', runAt: at(START), groupId: group.id });
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await scheduler.runDue());
      clock.advance(3_600_000);
    }
    expect(outcomes.map((o) => (o.failed ? 'failed' : o.retrying ? 'retrying' : '-'))).toEqual([
      'retrying',
      'retrying',
      'failed',
      '-',
      '-',
      '-',
    ]);
    await dispatcher.dispatchDue();
    expect(slack.posts()).toHaveLength(1);
    expect(slack.posts()[0]!.to).toEqual({ kind: 'dm', userId: 'U-ann', workspaceId: 'T1' });
    expect(slack.posts()[0]!.text).toContain('could not post the meeting reminder. It tried 3 times');
    expect(await jobRow(db.db, 'r1')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('drops a job whose expiry passed before it could run (a reminder retried past its meeting)', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: announcing(runs, { policy: 'drop-if-past' }),
    });
    await scheduleJob(db.db, {
      kind: 'test.announce',
      key: 'gone',
      runAt: at('2026-11-23T08:00:00Z'),
      expiresAt: at('2026-11-23T08:30:00Z'),
    });
    await scheduleJob(db.db, {
      kind: 'test.announce',
      key: 'ahead',
      runAt: at('2026-11-23T08:00:00Z'),
      expiresAt: at('2026-11-23T10:00:00Z'),
    });
    expect(await scheduler.runDue()).toMatchObject({ done: 1, dropped: 1 });
    expect(runs).toEqual(['ahead']);
    const [gone] = await db.db.select().from(schema.jobs).where(eq(schema.jobs.key, 'gone'));
    expect(gone?.status).toBe('dropped');
  });
});

describe('keeping the tables small', () => {
  it('removes finished jobs and delivered messages after 90 days, and never pending ones', async () => {
    const old = at('2026-08-01T09:00:00Z');
    await scheduleJob(db.db, { kind: 'test.announce', key: 'old-done', runAt: old });
    await scheduleJob(db.db, {
      kind: 'test.announce',
      key: 'old-pending',
      runAt: at('2027-01-01T09:00:00Z'),
    });
    await scheduleJob(db.db, {
      kind: 'test.announce',
      key: 'recent-done',
      runAt: at('2026-11-01T09:00:00Z'),
    });
    await db.db
      .update(schema.jobs)
      .set({ status: 'done', finishedAt: old })
      .where(eq(schema.jobs.key, 'old-done'));
    await db.db
      .update(schema.jobs)
      .set({ status: 'done', finishedAt: at('2026-11-01T09:00:00Z') })
      .where(eq(schema.jobs.key, 'recent-done'));
    await db.db.transaction(async (tx) => {
      for (const purpose of ['old-sent', 'old-pending', 'recent-sent']) {
        await enqueueMessage(tx, old, {
          purpose,
          platform: 'slack',
          destination: channel('C1'),
          message: text(purpose),
        });
      }
    });
    await db.db
      .update(schema.outbox)
      .set({ status: 'sent', sentAt: old })
      .where(eq(schema.outbox.purpose, 'old-sent'));
    await db.db
      .update(schema.outbox)
      .set({ status: 'sent', sentAt: at('2026-11-20T09:00:00Z') })
      .where(eq(schema.outbox.purpose, 'recent-sent'));

    await db.db.insert(schema.processedEvents).values([
      { platform: 'slack', eventId: 'Ev-old', processedAt: at('2026-11-01T09:00:00Z') },
      { platform: 'slack', eventId: 'Ev-recent', processedAt: at('2026-11-20T09:00:00Z') },
    ]);

    expect(await pruneFinished(db.db, clock.now())).toEqual({ jobs: 1, messages: 1, eventIds: 1 });
    const events = await db.db.select().from(schema.processedEvents);
    expect(events.map((e) => e.eventId)).toEqual(['Ev-recent']);
    const jobs = await db.db.select().from(schema.jobs).orderBy(schema.jobs.id);
    expect(jobs.map((j) => j.key)).toEqual(['old-pending', 'recent-done']);
    expect((await outboxRows(db.db)).map((r) => r.purpose)).toEqual(['old-pending', 'recent-sent']);
  });
});
