/**
 * Catch-up after downtime: each kind's declared policy (policies.ts) is applied to jobs that fell
 * due while nothing was running (collapse missed digests into one, drop reminders for things
 * already past); what remains then runs once like any other due job.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { JobRow } from './jobs.js';
import type { CatchUpPolicy } from './policies.js';

export interface CatchUpSummary {
  /** Pending jobs whose time had passed. */
  overdue: number;
  dropped: number;
  /** Jobs folded into a later run of the same series. */
  collapsed: number;
}

export interface CatchUpDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policyFor: (kind: string) => CatchUpPolicy;
}

/** Serialises catch-up across replicas starting together ("copr" as an int). */
const CATCH_UP_LOCK = 0x636f7072;

export async function catchUpMissed(deps: CatchUpDeps): Promise<CatchUpSummary> {
  const { db, clock, logger, policyFor } = deps;
  const j = schema.jobs;
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

/**
 * Whether what the job is for has already happened: its expires_at has passed. At catch-up, a job
 * without one counts as past once its own time has (it was due while copro was not running).
 */
export function isPast(job: JobRow, now: Date, orRunAt: boolean): boolean {
  const end = job.expiresAt ?? (orRunAt ? job.runAt : undefined);
  return end !== undefined && end.getTime() <= now.getTime();
}
