/**
 * What happens to a job whose time passed while copro was not running. Read at start (catch-up)
 * and whenever an expired job is claimed. Each job kind declares its own, beside its handler (a
 * feature's `jobs`); a kind that declares none runs once, late.
 *
 * - run-once:     run it once now, however late. Nothing is lost (a poll still gets closed).
 * - collapse:     several missed runs of one series become one run, which is told how many it
 *                 stands for (three missed weekly digests become one digest covering 3 weeks).
 * - drop-if-past: if the thing it is about has already happened (its expires_at, or else its
 *                 run_at, has passed), skip it and log that. A reminder after the meeting helps nobody.
 */
export type CatchUpPolicy = 'run-once' | 'collapse' | 'drop-if-past';

/** Failed jobs are retried this many times in all, waiting longer each time, then reported. */
export const JOB_MAX_ATTEMPTS = 5;

/** 30 s, 1 min, 2 min, 4 min … capped at an hour. */
export function jobRetryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
