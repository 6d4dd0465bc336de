/**
 * The durable scheduler: runs jobs from the jobs table when they are due.
 *
 * Guarantees, and why:
 * - Exactly once per occurrence, across any number of replicas. Jobs are claimed with
 *   FOR UPDATE SKIP LOCKED inside a transaction; their handlers run in that same transaction and
 *   the jobs are marked done there too. Another replica skips the locked rows, and once the
 *   transaction commits the rows are no longer pending. The handlers' effects, the messages they
 *   queue in the outbox, and "done" commit together or not at all.
 * - Few round trips: a small batch of due jobs is claimed, run and marked done in one
 *   transaction (four statements for the batch, besides the handlers' own). If a handler in it
 *   throws, the batch rolls back as a whole: the failure counts against that job alone, and the
 *   others are claimed again in the next batch. A kind with `runMany` gets the batch's jobs of
 *   its kind together (a thousand weekly digests in a few queries per batch, not per group);
 *   if that throws, the batch is run again one job at a time, to find the one that fails.
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
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { Clock } from '../clock.js';
import { storableErrorText } from '../errors.js';
import type { Logger } from '../logger.js';
import { type CatchUpSummary, catchUpMissed, isPast } from './catch-up.js';
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

/** Several jobs of one kind, run together in the batch's transaction. */
export interface JobBatchContext {
  readonly tx: Tx;
  readonly jobs: readonly JobRow[];
  readonly now: Date;
  readonly logger: Logger;
}

export interface JobDefinition {
  run(ctx: JobContext): Promise<void>;
  /** Does what `run` does for each of `jobs`, in fewer queries than one job at a time. */
  runMany?(ctx: JobBatchContext): Promise<void>;
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

/** Due jobs read per round trip; they are then claimed in batches. */
const CANDIDATES = 50;

/**
 * Jobs claimed and run in one transaction. Small, so that the first job's messages do not wait
 * long for the last job's commit, and a rollback repeats little work.
 */
const BATCH = 16;

/** A runMany threw, so the batch rolled back: which job failed is found by running them singly. */
class ManyRolledBack extends Error {
  constructor(readonly ids: readonly number[]) {
    super('jobs run together failed');
  }
}

/** A handler in a batch threw, so the batch rolled back: the failure is `job`'s alone. */
class BatchRolledBack extends Error {
  constructor(
    readonly job: JobRow,
    readonly error: unknown,
    /** The batch's other jobs, pending again, to be claimed anew. */
    readonly others: readonly number[],
  ) {
    super('a job in the batch failed');
  }
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, clock, logger, handlers } = options;
  const kinds = Object.keys(handlers);
  const retryDelay = options.retryDelayMs ?? jobRetryDelayMs;
  const j = schema.jobs;
  const policyFor = (kind: string): CatchUpPolicy => handlers[kind]?.policy ?? 'run-once';

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

  async function recordFailure(job: JobRow, error: unknown): Promise<'retrying' | 'failed'> {
    const now = clock.now();
    const definition = handlers[job.kind]!;
    const limit = definition.maxAttempts ?? options.maxAttempts ?? JOB_MAX_ATTEMPTS;
    const attempts = job.attempts + 1;
    const lastError = storableErrorText(error instanceof Error ? error.message : String(error));
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

  /**
   * Claim up to `max` of the candidates nobody else holds, run them all and mark them done in one
   * transaction. Returns what happened to each, or, after a throw, which job failed. SKIP LOCKED
   * passes over jobs other replicas are running; and because FOR UPDATE re-reads a row changed
   * since the candidates were read, a job another replica has just finished no longer matches.
   */
  async function runBatch(
    ids: number[],
    max: number,
    singly: boolean,
  ): Promise<('done' | 'dropped')[] | BatchRolledBack | ManyRolledBack> {
    const now = clock.now();
    try {
      return await db.transaction(async (tx): Promise<('done' | 'dropped')[]> => {
        const jobs = await tx
          .select()
          .from(j)
          .where(and(inArray(j.id, ids), eq(j.status, 'pending'), lte(j.runAt, now)))
          .orderBy(asc(j.runAt), asc(j.id))
          .limit(max)
          .for('update', { skipLocked: true });
        for (const job of jobs) ids.splice(ids.indexOf(job.id), 1);
        const done: number[] = [];
        const dropped: number[] = [];
        const together = new Map<string, JobRow[]>();
        for (const job of jobs) {
          if (policyFor(job.kind) === 'drop-if-past' && isPast(job, now, false)) {
            dropped.push(job.id);
            logger.info(
              { jobId: job.id, kind: job.kind, key: job.key },
              'job dropped: what it was for has passed',
            );
            continue;
          }
          if (!singly && handlers[job.kind]!.runMany) {
            together.set(job.kind, [...(together.get(job.kind) ?? []), job]);
            continue;
          }
          try {
            await handlers[job.kind]!.run({ tx, job, now, logger });
          } catch (error) {
            const others = jobs.filter((x) => x.id !== job.id).map((x) => x.id);
            throw new BatchRolledBack(job, error, others);
          }
          done.push(job.id);
        }
        for (const [kind, some] of together) {
          try {
            await handlers[kind]!.runMany!({ tx, jobs: some, now, logger });
          } catch (error) {
            const others = jobs.filter((x) => x.id !== some[0]!.id).map((x) => x.id);
            if (some.length === 1) throw new BatchRolledBack(some[0]!, error, others);
            throw new ManyRolledBack(jobs.map((x) => x.id));
          }
          done.push(...some.map((x) => x.id));
        }
        if (done.length > 0) {
          await tx
            .update(j)
            .set({ status: 'done', finishedAt: now, attempts: sql`${j.attempts} + 1`, lastError: null })
            .where(inArray(j.id, done));
        }
        if (dropped.length > 0) {
          await tx.update(j).set({ status: 'dropped', finishedAt: now }).where(inArray(j.id, dropped));
        }
        return [...done.map(() => 'done' as const), ...dropped.map(() => 'dropped' as const)];
      });
    } catch (error) {
      if (error instanceof BatchRolledBack || error instanceof ManyRolledBack) return error;
      throw error;
    }
  }

  async function runDue(runOptions: { readonly limit?: number } = {}): Promise<RunSummary> {
    const summary: RunSummary = { done: 0, retrying: 0, failed: 0, dropped: 0 };
    if (kinds.length === 0) return summary;
    const limit = runOptions.limit ?? 500;
    let count = 0;
    let singly = false;
    while (count < limit) {
      const ids = await candidates();
      let claimedAny = false;
      while (count < limit && ids.length > 0) {
        const batch = await runBatch(ids, Math.min(BATCH, limit - count), singly);
        singly = batch instanceof ManyRolledBack;
        if (batch instanceof ManyRolledBack) {
          // Claimed again, one at a time, so that the failure is the failing job's alone.
          ids.unshift(...batch.ids);
          claimedAny = true;
          continue;
        }
        if (batch instanceof BatchRolledBack) {
          // The failure counts against its own job; the rest are claimed again with the next batch.
          summary[await recordFailure(batch.job, batch.error)]++;
          count++;
          ids.unshift(...batch.others);
          claimedAny = true;
          continue;
        }
        if (batch.length === 0) break;
        claimedAny = true;
        count += batch.length;
        for (const outcome of batch) summary[outcome]++;
      }
      // Nothing due, or everything due is being run by other replicas right now.
      if (!claimedAny) break;
    }
    return summary;
  }

  const catchUp = () => catchUpMissed({ db, clock, logger, policyFor });

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
