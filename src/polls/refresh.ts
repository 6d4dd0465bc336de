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
  const draw = (after: AppDeps) => drawSoon(after, pollId);
  if (deps.afterCommit) deps.afterCommit(draw);
  else await draw(deps);
}

/**
 * A poll is drawn at most once every REDRAW_AGAIN_AFTER_MS: votes that commit sooner after a
 * drawing wait for the next one, which counts them all. Under a burst every batch of votes asked
 * for one (a transaction that waits for the votes in flight, then a chat.update): about 30 a
 * second on one poll, where Slack takes 5 edits in 10 seconds in a channel. A vote after a quiet
 * moment is drawn at once, as before.
 */
export const REDRAW_AGAIN_AFTER_MS = 200;

interface Drawing {
  /** When the last drawing started (Date.now). */
  startedAt: number;
  /** The drawing under way, if any. */
  running?: Promise<void>;
  /** The drawing asked for and not yet started: later votes wait for this one too. */
  next?: Promise<void>;
}

/** The polls of a database drawn lately. */
const drawings = new WeakMap<Db, Map<number, Drawing>>();

function drawSoon(after: AppDeps, pollId: number): Promise<void> {
  let polls = drawings.get(after.db);
  if (!polls) {
    polls = new Map();
    drawings.set(after.db, polls);
  }
  const now = Date.now();
  for (const [id, d] of polls)
    if (!d.running && !d.next && now - d.startedAt > REDRAW_AGAIN_AFTER_MS) polls.delete(id);
  const drawing = polls.get(pollId) ?? { startedAt: Number.NEGATIVE_INFINITY };
  polls.set(pollId, drawing);
  if (drawing.next) return drawing.next;
  const before = drawing.running?.catch(() => {});
  const next = (async () => {
    await before;
    const wait = drawing.startedAt + REDRAW_AGAIN_AFTER_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // From here on, a vote that commits is not counted by this drawing for certain: it asks for
    // the next.
    drawing.next = undefined;
    drawing.startedAt = Date.now();
    const running = (async () => {
      await refreshStalePoll(after.db, pollId, after.clock.now());
      await after.outbox?.flush();
    })();
    drawing.running = running;
    try {
      await running;
    } finally {
      if (drawing.running === running) drawing.running = undefined;
    }
  })();
  drawing.next = next;
  return next;
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
