import { and, eq, like } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import type { AppDeps } from '../deps.js';
import type { Sweep } from '../jobs/index.js';
import { groupOfPoll } from './close.js';
import { refreshPollMessage } from './store.js';

/**
 * Draws a poll's message again after votes marked it out of date. It takes the poll's lock alone,
 * so it waits for votes still in flight (they hold it shared) and counts every vote committed by
 * then; votes after it mark the message out of date again, and the first of them draws it next.
 */
export async function refreshStalePoll(db: Db, pollId: number, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(schema.polls)
      .where(eq(schema.polls.id, pollId))
      .for('no key update');
    const group = poll ? await groupOfPoll(tx, poll) : undefined;
    if (poll && group) await refreshPollMessage(tx, group, poll, now);
  });
}

/**
 * Draw the poll's message once the vote that marked it out of date has committed, outside its
 * locks, so the message counts that vote and those with it.
 */
export async function redrawOnceCommitted(deps: AppDeps, pollId: number): Promise<void> {
  const draw = async (after: AppDeps) => {
    await refreshStalePoll(after.db, pollId, after.clock.now());
    await after.outbox?.flush();
  };
  if (deps.afterCommit) deps.afterCommit(draw);
  else await draw(deps);
}

/** Every poll message's purpose (see pollPurpose), and no other: "poll.results:…" does not match. */
const POLL_PURPOSES = 'poll:%';

/**
 * A poll message left out of date (the process stopped between a vote and drawing the message)
 * is drawn before the next scheduler tick, so the last message always shows every vote.
 */
export const refreshStalePolls: Sweep = async (db, now) => {
  const o = schema.outbox;
  const stale = await db
    .select({ purpose: o.purpose })
    .from(o)
    .where(and(eq(o.stale, true), like(o.purpose, POLL_PURPOSES)));
  for (const { purpose } of stale) {
    const id = Number(purpose.slice(purpose.indexOf(':') + 1));
    if (Number.isSafeInteger(id)) await refreshStalePoll(db, id, now);
  }
};
