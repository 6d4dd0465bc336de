/**
 * Scheduling work for later, from any feature, inside the feature's own transaction.
 *
 * Why in the caller's transaction: "close this poll on Friday" must exist exactly when the poll
 * does. Why a unique key per occurrence: scheduling the same occurrence twice (a retried command,
 * two replicas doing the same sweep) must leave one job, so it runs once.
 */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';

export type JobRow = typeof schema.jobs.$inferSelect;

/**
 * Every job kind a feature runs, mapped to its payload. Each feature adds its own kinds beside its
 * handlers, by declaration merging (the way graphile-worker's `GraphileWorker.Tasks` works):
 *
 *   declare module '../jobs/jobs.js' {
 *     interface JobPayloads { 'poll.close': { readonly pollId: number } }
 *   }
 *
 * Then scheduling 'poll.close' without a pollId, or reading a field it does not have, is a type error.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by each feature through declaration merging
export interface JobPayloads {}

export type JobKind = keyof JobPayloads & string;

/** A known kind must be given its payload; a kind no feature declares (a test's own) takes any. */
type PayloadOf<K extends string> = K extends JobKind
  ? { readonly payload: JobPayloads[K] }
  : { readonly payload?: Record<string, unknown> };

export type JobSpec<K extends string = string> = JobTiming<K> & PayloadOf<K>;

interface JobTiming<K extends string> {
  /** What to do; a handler is registered for it (e.g. "digest.send"). */
  readonly kind: K;
  /** One occurrence, e.g. "digest:12:2026-11-23T09:00:00.000Z". Unique among live and finished jobs. */
  readonly key: string;
  readonly runAt: Date;
  /** Recurring work: the occurrences of one thing share a series (collapse policy). */
  readonly series?: string;
  /** The group concerned: its coordinators are told if the job keeps failing. */
  readonly groupId?: number;
  /** After this the job is pointless (the drop-if-past policy drops it). */
  readonly expiresAt?: Date;
}

/** The row an occurrence is kept as. */
const jobRow = (job: JobSpec) => ({
  kind: job.kind,
  key: job.key,
  runAt: job.runAt,
  payload: job.payload ?? {},
  series: job.series,
  groupId: job.groupId,
  expiresAt: job.expiresAt,
});

/**
 * Schedule an occurrence. Returns true if it was new; false if that key was already scheduled or
 * has already run (it will not run again).
 */
export async function scheduleJob<K extends string>(tx: Db | Tx, job: JobSpec<K>): Promise<boolean> {
  const rows = await tx
    .insert(schema.jobs)
    .values(jobRow(job))
    .onConflictDoNothing({ target: schema.jobs.key })
    .returning({ id: schema.jobs.id });
  return rows.length > 0;
}

/** Schedule several occurrences in one statement; keys already scheduled or run are left alone. */
export async function scheduleJobs(tx: Db | Tx, jobs: readonly JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  await tx.insert(schema.jobs).values(jobs.map(jobRow)).onConflictDoNothing({ target: schema.jobs.key });
}

/**
 * Cancel pending jobs, by occurrence key or by series (a rescheduled digest, a deleted meeting).
 * The cancelled row keeps its history but frees its key, so the same occurrence can be scheduled
 * again later. Returns how many were cancelled.
 */
export async function cancelJobs(
  tx: Db | Tx,
  now: Date,
  which: { readonly key: string } | { readonly series: string },
): Promise<number> {
  const j = schema.jobs;
  const rows = await tx
    .update(j)
    .set({ status: 'cancelled', finishedAt: now, key: sql`${j.key} || ':cancelled:' || ${j.id}` })
    .where(and(eq(j.status, 'pending'), 'key' in which ? eq(j.key, which.key) : eq(j.series, which.series)))
    .returning({ id: j.id });
  return rows.length;
}
