import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { type CatchUpPolicy, createScheduler, type JobHandlers, scheduleJob } from '../../src/jobs/index.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { jobRow } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T09:00:00Z');
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  // copro was stopped on 1 November and starts again on 23 November at 09:00 UTC.
  clock.set('2026-11-23T09:00:00Z');
});

interface Ran {
  key: string;
  collapsedRuns: number;
}

function recording(ran: Ran[], kind: string, policy: CatchUpPolicy): JobHandlers {
  return Object.fromEntries(
    [kind].map((kind) => [
      kind,
      {
        policy,
        async run({ job }: { job: { key: string; collapsedRuns: number } }) {
          ran.push({ key: job.key, collapsedRuns: job.collapsedRuns });
        },
      },
    ]),
  );
}

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('catching up after downtime', () => {
  it('has one readable policy per kind, beside its job: digests collapse, reminders for past polls are dropped', () => {
    const { jobs } = createApp({ db: db.db, clock, logger: silentLogger(), platforms: {} });
    expect(jobs['digest.send']?.policy).toBe('collapse');
    expect(jobs['poll.close']?.policy).toBe('run-once');
    expect(jobs['poll.remind']?.policy).toBe('drop-if-past');
  });

  it('collapses three missed weekly runs of one series into one run that knows it stands for three', async () => {
    const ran: Ran[] = [];
    for (const day of ['09', '16', '23']) {
      await scheduleJob(db.db, {
        kind: 'digest.send',
        payload: { groupId: 1 },
        key: `digest:1:2026-11-${day}`,
        series: 'digest:1',
        runAt: at(`2026-11-${day}T08:59:00Z`),
      });
    }
    await scheduleJob(db.db, {
      kind: 'digest.send',
      payload: { groupId: 2 },
      key: 'digest:2:2026-11-16',
      series: 'digest:2',
      runAt: at('2026-11-16T09:00:00Z'),
    });
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: recording(ran, 'digest.send', 'collapse'),
    });
    expect(await scheduler.catchUp()).toEqual({ overdue: 4, dropped: 0, collapsed: 2 });
    await scheduler.runDue();
    expect(ran).toEqual([
      { key: 'digest:2:2026-11-16', collapsedRuns: 0 },
      { key: 'digest:1:2026-11-23', collapsedRuns: 2 },
    ]);
    expect(await jobRow(db.db, 'digest:1:2026-11-09')).toMatchObject({ status: 'collapsed' });
  });

  it('drops, and logs, a reminder for a meeting that already started; a reminder still useful runs', async () => {
    const ran: Ran[] = [];
    const { lines, logger } = logLines();
    await scheduleJob(db.db, {
      kind: 'meeting.reminder',
      key: 'remind:past',
      runAt: at('2026-11-20T13:00:00Z'),
      expiresAt: at('2026-11-20T14:00:00Z'),
    });
    await scheduleJob(db.db, {
      kind: 'meeting.reminder',
      key: 'remind:today',
      runAt: at('2026-11-23T08:00:00Z'),
      expiresAt: at('2026-11-23T10:00:00Z'),
    });
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger,
      handlers: recording(ran, 'meeting.reminder', 'drop-if-past'),
    });
    expect(await scheduler.catchUp()).toMatchObject({ overdue: 2, dropped: 1 });
    await scheduler.runDue();
    expect(ran.map((r) => r.key)).toEqual(['remind:today']);
    expect(await jobRow(db.db, 'remind:past')).toMatchObject({ status: 'dropped' });
    expect(lines).toContainEqual(
      expect.objectContaining({ key: 'remind:past', msg: expect.stringContaining('missed job dropped') }),
    );
  });

  it('runs each missed run-once job (closing polls) once, however late', async () => {
    const ran: Ran[] = [];
    await scheduleJob(db.db, {
      kind: 'poll.close',
      payload: { pollId: 1 },
      key: 'close:1',
      runAt: at('2026-11-02T12:00:00Z'),
    });
    await scheduleJob(db.db, {
      kind: 'poll.close',
      payload: { pollId: 2 },
      key: 'close:2',
      runAt: at('2026-11-12T12:00:00Z'),
    });
    const scheduler = createScheduler({
      db: db.db,
      clock,
      logger: silentLogger(),
      handlers: recording(ran, 'poll.close', 'run-once'),
    });
    expect(await scheduler.catchUp()).toEqual({ overdue: 2, dropped: 0, collapsed: 0 });
    await scheduler.runDue();
    await scheduler.runDue();
    expect(ran.map((r) => r.key)).toEqual(['close:1', 'close:2']);
  });

  it('on start, catches up and runs what was missed once; a replica starting next runs nothing more', async () => {
    const ran: Ran[] = [];
    for (const day of ['09', '16']) {
      await scheduleJob(db.db, {
        kind: 'digest.send',
        payload: { groupId: 1 },
        key: `digest:1:${day}`,
        series: 'digest:1',
        runAt: at(`2026-11-${day}T09:00:00Z`),
      });
    }
    const handlers = recording(ran, 'digest.send', 'collapse');
    const first = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers });
    const second = createScheduler({ db: db.db, clock, logger: silentLogger(), handlers });
    await first.start();
    await second.start();
    await first.stop();
    await second.stop();
    expect(ran).toEqual([{ key: 'digest:1:16', collapsedRuns: 1 }]);
  });
});
