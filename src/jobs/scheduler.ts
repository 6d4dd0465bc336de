/**
 * The durable scheduler: runs jobs from the jobs table when they are due.
 *
 * Guarantees, and why:
 * - Exactly once per occurrence, across any number of replicas. A job is claimed with
 *   FOR UPDATE SKIP LOCKED inside a transaction; its handler runs in that same transaction and
 *   the job is marked done there too. Another replica skips the locked row, and once the
 *   transaction commits the row is no longer pending. The handler's effects, the messages it
 *   queues in the outbox, and "done" commit together or not at all.
 * - A crash loses nothing and doubles nothing. If the process dies or the handler throws before
 *   the commit, everything rolls back (messages included) and the row is pending again, so the
 *   job is retried and its messages are queued once. A thrown error also counts as an attempt
 *   and waits a growing delay; after the limit the job stops and the group's coordinators are
 *   told, in plain words, through the outbox.
 * - Downtime is handled by policy, not by accident: catchUp() applies each kind's declared
 *   policy (policies.ts) to jobs that fell due while nothing was running (collapse missed
 *   digests into one, drop reminders for things already past), then they run once like any
 *   other due job.
 * - Time comes from the injected clock, so tests can move it instead of waiting.
 */
import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { notifyCoordinators } from './coordinators.js';
import type { JobRow } from './jobs.js';
import { type CatchUpPolicy, JOB_MAX_ATTEMPTS, jobRetryDelayMs } from './policies.js';
import { pruneFinished } from './retention.js';
import { createTicker } from './ticker.js';

export interface JobContext {
  /** The transaction the job was claimed in: do every effect through it. */
  readonly tx: Tx;
  readonly job: JobRow;
  /** Now, by the injected clock. */
  readonly now: Date;
  readonly logger: Logger;
}

export interface JobDefinition {
  run(ctx: JobContext): Promise<void>;
  /** What to do if its time passed while copro was not running (policies.ts). Default run-once. */
  readonly policy?: CatchUpPolicy;
  /** What the job does, in plain words, for coordinators if it keeps failing: "send this week's digest". */
  describe?(job: JobRow): string;
  /** Overrides the default attempt limit for this kind. */
  readonly maxAttempts?: number;
}

export type JobHandlers = Readonly<Record<string, JobDefinition>>;

/** Work done before each tick, e.g. making sure every group has its next digest scheduled. */
export type Sweep = (db: Db, now: Date) => Promise<void>;

export interface SchedulerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  /** By kind. A replica only claims kinds it has a handler for. */
  readonly handlers: JobHandlers;
  readonly sweeps?: readonly Sweep[];
  /** node-cron expression for start(). Default every 15 seconds. */
  readonly tick?: string;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: (attempts: number) => number;
  /** Days finished jobs and delivered messages are kept (pruned hourly by start()). Default 90. */
  readonly retentionDays?: number;
}

export interface RunSummary {
  done: number;
  retrying: number;
  failed: number;
  dropped: number;
}

export interface CatchUpSummary {
  /** Pending jobs whose time had passed. */
  overdue: number;
  dropped: number;
  /** Jobs folded into a later run of the same series. */
  collapsed: number;
}

export interface Scheduler {
  /** Run every job due now, one transaction each. Safe from several processes at once. */
  runDue(options?: { readonly limit?: number }): Promise<RunSummary>;
  /** Apply the catch-up policies to jobs missed while copro was not running. */
  catchUp(): Promise<CatchUpSummary>;
  /** Sweeps, catch-up and a first run, then a node-cron tick until stop(). */
  start(): Promise<void>;
  /** Stop ticking and wait for a run in progress to finish. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;

/** Due jobs read per round trip; each is then claimed in its own transaction. */
const CANDIDATES = 50;

/** Serialises catch-up across replicas starting together ("copr" as an int). */
const CATCH_UP_LOCK = 0x636f7072;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, clock, logger, handlers } = options;
  const kinds = Object.keys(handlers);
  const retryDelay = options.retryDelayMs ?? jobRetryDelayMs;
  const j = schema.jobs;
  const policyFor = (kind: string): CatchUpPolicy => handlers[kind]?.policy ?? 'run-once';

  type Outcome = 'none' | 'done' | 'dropped';

  /** Due jobs, oldest first: read without locks, then claimed one at a time by id. */
  async function candidates(): Promise<number[]> {
    const rows = await db
      .select({ id: j.id })
      .from(j)
      .where(and(eq(j.status, 'pending'), lte(j.runAt, clock.now()), inArray(j.kind, kinds)))
      .orderBy(asc(j.runAt), asc(j.id))
      .limit(CANDIDATES);
    return rows.map((r) => r.id);
  }

  /**
   * Claim the oldest of the candidates nobody else holds, and run it. SKIP LOCKED passes over jobs
   * other replicas are running; and because FOR UPDATE re-reads a row changed since the
   * candidates were read, a job another replica has just finished no longer matches "pending".
   */
  async function runOne(ids: number[]): Promise<Outcome | 'retrying' | 'failed'> {
    let claimed: JobRow | undefined;
    const now = clock.now();
    try {
      return await db.transaction(async (tx): Promise<Outcome> => {
        const [job] = await tx
          .select()
          .from(j)
          .where(and(inArray(j.id, ids), eq(j.status, 'pending'), lte(j.runAt, now)))
          .orderBy(asc(j.runAt), asc(j.id))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!job) return 'none';
        claimed = job;
        ids.splice(ids.indexOf(job.id), 1);
        if (policyFor(job.kind) === 'drop-if-past' && isPast(job, now, false)) {
          await tx.update(j).set({ status: 'dropped', finishedAt: now }).where(eq(j.id, job.id));
          logger.info(
            { jobId: job.id, kind: job.kind, key: job.key },
            'job dropped: what it was for has passed',
          );
          return 'dropped';
        }
        await handlers[job.kind]!.run({ tx, job, now, logger });
        await tx
          .update(j)
          .set({ status: 'done', finishedAt: now, attempts: job.attempts + 1, lastError: null })
          .where(eq(j.id, job.id));
        return 'done';
      });
    } catch (error) {
      if (!claimed) throw error;
      return recordFailure(claimed, error);
    }
  }

  async function recordFailure(job: JobRow, error: unknown): Promise<'retrying' | 'failed'> {
    const now = clock.now();
    const definition = handlers[job.kind]!;
    const limit = definition.maxAttempts ?? options.maxAttempts ?? JOB_MAX_ATTEMPTS;
    const attempts = job.attempts + 1;
    const lastError = error instanceof Error ? error.message : String(error);
    // Only if nobody else has run or retried it since our transaction rolled back.
    const unchanged = and(eq(j.id, job.id), eq(j.status, 'pending'), eq(j.attempts, job.attempts));
    if (attempts < limit) {
      const delay = retryDelay(attempts);
      await db
        .update(j)
        .set({ attempts, lastError, runAt: new Date(now.getTime() + delay) })
        .where(unchanged);
      logger.warn(
        { jobId: job.id, kind: job.kind, attempts, retryInMs: delay, err: error },
        'job failed; it will be retried',
      );
      return 'retrying';
    }
    await db.transaction(async (tx) => {
      const marked = await tx
        .update(j)
        .set({ attempts, lastError, status: 'failed', finishedAt: now })
        .where(unchanged)
        .returning({ id: j.id });
      if (marked.length === 0) return;
      logger.error({ jobId: job.id, kind: job.kind, attempts, err: error }, 'job failed for the last time');
      if (job.groupId === null) return;
      const what = definition.describe?.(job) ?? `do a scheduled task (${job.kind})`;
      const text =
        `copro could not ${what}. It tried ${attempts} times, so it has stopped trying. ` +
        `Nothing else is affected. Someone who looks after copro can look it up as job ${job.id}.`;
      await notifyCoordinators(tx, now, job.groupId, `job-failed:${job.id}`, {
        text,
        blocks: [{ type: 'text', text }],
      });
    });
    return 'failed';
  }

  async function runDue(runOptions: { readonly limit?: number } = {}): Promise<RunSummary> {
    const summary: RunSummary = { done: 0, retrying: 0, failed: 0, dropped: 0 };
    if (kinds.length === 0) return summary;
    const limit = runOptions.limit ?? 500;
    let count = 0;
    while (count < limit) {
      const ids = await candidates();
      let claimedAny = false;
      while (count < limit && ids.length > 0) {
        const outcome = await runOne(ids);
        if (outcome === 'none') break;
        claimedAny = true;
        count++;
        summary[outcome]++;
      }
      // Nothing due, or everything due is being run by other replicas right now.
      if (!claimedAny) break;
    }
    return summary;
  }

  async function catchUp(): Promise<CatchUpSummary> {
    const now = clock.now();
    const summary: CatchUpSummary = { overdue: 0, dropped: 0, collapsed: 0 };
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${CATCH_UP_LOCK})`);
      const overdue = await tx
        .select()
        .from(j)
        .where(and(eq(j.status, 'pending'), lt(j.runAt, now)))
        .orderBy(asc(j.runAt), asc(j.id))
        .for('update', { skipLocked: true });
      summary.overdue = overdue.length;
      const bySeries = new Map<string, JobRow[]>();
      for (const job of overdue) {
        const policy = policyFor(job.kind);
        if (policy === 'drop-if-past' && isPast(job, now, true)) {
          await tx.update(j).set({ status: 'dropped', finishedAt: now }).where(eq(j.id, job.id));
          logger.info(
            { jobId: job.id, kind: job.kind, key: job.key },
            'missed job dropped: what it was for passed while copro was not running',
          );
          summary.dropped++;
        } else if (policy === 'collapse' && job.series) {
          const key = `${job.kind}\u0000${job.series}`;
          bySeries.set(key, [...(bySeries.get(key) ?? []), job]);
        }
      }
      for (const series of bySeries.values()) {
        if (series.length < 2) continue;
        const kept = series[series.length - 1]!;
        const folded = series.slice(0, -1);
        await tx
          .update(j)
          .set({ status: 'collapsed', finishedAt: now })
          .where(
            inArray(
              j.id,
              folded.map((f) => f.id),
            ),
          );
        const extra = folded.reduce((n, f) => n + 1 + f.collapsedRuns, 0);
        await tx
          .update(j)
          .set({ collapsedRuns: kept.collapsedRuns + extra })
          .where(eq(j.id, kept.id));
        logger.info(
          { kind: kept.kind, series: kept.series, collapsed: extra },
          'missed runs collapsed into one',
        );
        summary.collapsed += folded.length;
      }
    });
    if (summary.overdue > 0) logger.info(summary, 'caught up on jobs missed while copro was not running');
    return summary;
  }

  let prunedAt = 0;
  async function tick(): Promise<void> {
    for (const sweep of options.sweeps ?? []) await sweep(db, clock.now());
    await runDue();
    const now = clock.now();
    if (now.getTime() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now.getTime();
      const pruned = await pruneFinished(db, now, options.retentionDays);
      if (pruned.jobs + pruned.messages + pruned.eventIds > 0)
        logger.info(pruned, 'old finished jobs and delivered messages removed');
    }
  }

  const ticker = createTicker(tick, logger, 'scheduler tick failed; will try again');
  return {
    runDue,
    catchUp,
    async start() {
      if (ticker.started) return;
      for (const sweep of options.sweeps ?? []) await sweep(db, clock.now());
      await catchUp();
      await ticker.runNow();
      ticker.start(options.tick ?? '*/15 * * * * *', 'copro-jobs');
    },
    stop: () => ticker.stop(),
  };
}

/**
 * Whether what the job is for has already happened: its expires_at has passed. At catch-up, a job
 * without one counts as past once its own time has (it was due while copro was not running).
 */
function isPast(job: JobRow, now: Date, orRunAt: boolean): boolean {
  const end = job.expiresAt ?? (orRunAt ? job.runAt : undefined);
  return end !== undefined && end.getTime() <= now.getTime();
}
