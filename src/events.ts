import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { schema } from '../db/client.js';
import { oneOf } from '../db/rows.js';
import type { InboundEvent } from './chat/index.js';
import type { AppDeps } from './deps.js';
import { errorRef } from './errors.js';
import { releaseWithin } from './inbox.js';
import { eventKey } from './voter-secret.js';

/**
 * Record a platform event id; false if it was seen before. Platforms retry deliveries (Slack up to
 * three times) and people double-click, so every event passes through here before it has effects.
 *
 * Only a keyed hash of the id is kept (eventKey). Some platforms' ids name the person and the
 * button they pressed, and a table of who clicked what, and when, could be lined up against
 * anonymous votes.
 */
export async function firstTime(
  db: Db,
  platform: string,
  eventId: string,
  secret?: Buffer,
): Promise<boolean> {
  const rows = await db
    .insert(schema.processedEvents)
    .values({ platform, eventId: eventKey(eventId, secret) })
    .onConflictDoNothing()
    .returning({ eventId: schema.processedEvents.eventId });
  return rows.length > 0;
}

/**
 * Take back the record that these events (of one platform) were handled: they changed nothing (a
 * form answered with field errors, clicks left for handling alone), so the same again must be
 * handled again, not ignored as a repeat.
 */
export async function notHandled(
  db: Db,
  platform: string,
  eventIds: readonly string[],
  secret?: Buffer,
): Promise<void> {
  const pe = schema.processedEvents;
  const keys = eventIds.map((id) => eventKey(id, secret));
  await db.delete(pe).where(and(eq(pe.platform, platform), oneOf(pe.eventId, keys)));
}

/** The ways an event answers back; while its transaction is open they are held, not sent. */
const OUTPUTS = ['reply', 'updateMessage', 'openForm', 'show'] as const;

/** The event as its work sees it: what it says back is held, to be sent once it has committed. */
export function holdOutputs<E extends InboundEvent>(
  event: E,
): { holding: E; held: (() => Promise<unknown>)[] } {
  const held: (() => Promise<unknown>)[] = [];
  const holding = { ...event } as Record<string, unknown>;
  for (const name of OUTPUTS) {
    const send = (event as unknown as Record<string, unknown>)[name];
    if (typeof send === 'function') {
      holding[name] = async (...args: unknown[]) => {
        held.push(() => send.apply(event, args));
      };
    }
  }
  return { holding: holding as unknown as E, held };
}

/**
 * Handle an event at most once: the record that it was handled is written in the same transaction
 * as its effects, so after a crash either both are there or neither is, and a redelivery (or the
 * inbox replaying it) applies it exactly once.
 *
 * The work gets deps whose database is the transaction. What it says back (replies, message
 * updates, forms) and any outbox flush wait until the transaction has committed: nobody is told
 * of a change that did not happen, and no platform call is made while rows are locked.
 */
export async function handleOnce<D extends AppDeps, T>(
  deps: D,
  event: InboundEvent,
  work: (deps: D, event: InboundEvent) => Promise<T>,
): Promise<{ repeated: true } | { repeated: false; result: T }> {
  const { holding, held } = holdOutputs(event);
  let flush = false;
  const afterwards: ((deps: AppDeps) => Promise<void>)[] = [];
  const outcome = await deps.db.transaction(async (tx) => {
    if (event.keptAs) await releaseWithin(tx, event.keptAs);
    if (!(await firstTime(tx, event.actor.platform, event.id, deps.voterSecret)))
      return { repeated: true as const };
    const inTransaction: D = {
      ...deps,
      db: tx,
      ...(deps.outbox ? { outbox: { flush: async () => (flush = true) } } : {}),
      afterCommit: (work) => afterwards.push(work),
    };
    return {
      repeated: false as const,
      result: await work(inTransaction, holding),
    };
  });
  if (event.keptAs) event.keptReleased?.();
  for (const send of held) {
    await send().catch((err: unknown) =>
      deps.logger.error(
        { ref: errorRef(), err, kind: event.kind },
        'could not answer after handling an event',
      ),
    );
  }
  const later = () => runAfterwards(deps, afterwards, event.kind);
  // A click on an anonymous poll is handled alone: its drawing of the poll goes on beside the next
  // click, as a batch's does (event-batches.ts), rather than holding the click in hand until then.
  const leaveRunning = event.kind === 'action' ? event.leaveRunning : undefined;
  if (leaveRunning && afterwards.length > 0) leaveRunning(later());
  else await later();
  if (flush) await deps.outbox?.flush();
  return outcome;
}

/** Work left for after the commit (afterCommit), one piece after another; a failure is logged. */
export async function runAfterwards(
  deps: AppDeps,
  afterwards: readonly ((deps: AppDeps) => Promise<void>)[],
  kind: string,
): Promise<void> {
  for (const work of afterwards)
    await work(deps).catch((err: unknown) =>
      deps.logger.error({ ref: errorRef(), err, kind }, 'could not finish after handling an event'),
    );
}
