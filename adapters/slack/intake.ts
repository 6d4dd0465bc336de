import type { App, ReceiverEvent } from '@slack/bolt';
import { DATABASE_UNAVAILABLE_TEXT, errorRef } from '../../src/errors.js';
import type { Inbox, KeptDelivery } from '../../src/inbox.js';
import type { Logger } from '../../src/logger.js';
import { unusablePayload } from './payloads.js';
import { createTurns } from './turns.js';

/** Slack waits 3 seconds for an acknowledgement; the inbox gets most of that, the answer the rest. */
export const KEEP_WITHIN_MS = 2500;

/**
 * A slow database (not a broken one) can take longer than Slack waits. A command or a click is
 * then acknowledged at once and kept as soon as the database takes it, for up to this long; its
 * answer follows through response_url. Past this, the person is told plainly to try again.
 */
export const KEEP_SLOWLY_WITHIN_MS = 15_000;

/** Set on deliveries handled again at start, after the process stopped before handling them. */
export const RECOVERED = 'coproRecovered';
/** The inbox row a delivery was kept in, handed to the core with the event (InboundEvent.keptAs). */
export const KEPT_AS = 'coproKeptAs';
/** Called by the core once it has let the inbox row go with the effects (InboundEvent.keptReleased). */
export const KEPT_RELEASED = 'coproKeptReleased';

export interface IntakeOptions {
  readonly inbox: Inbox | undefined;
  readonly logger: Logger;
  /** Lets stop() and tests wait for work in progress. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  /** How long an acknowledgement waits for the inbox (default KEEP_WITHIN_MS). */
  readonly keepWithinMs?: number;
  /** Deliveries in hand at the same time (default HANDLED_AT_ONCE, turns.ts). */
  readonly handledAtOnce?: number;
  /** Deliveries in hand once none has arrived for a moment (default handledAtOnce, turns.ts). */
  readonly handledAtOnceWhenQuiet?: number;
  /** How long a delivery may wait to be taken in hand while others wait for their acknowledgement (turns.ts). */
  readonly holdWhileAcknowledgingMs?: number;
  /** How long a delivery acknowledged before it was kept may still be kept (KEEP_SLOWLY_WITHIN_MS). */
  readonly keepSlowlyWithinMs?: number;
}

/**
 * Where every Slack delivery enters, before Bolt routes it. A payload the listeners cannot use is
 * acknowledged and dropped. Any other is kept in the inbox before it is acknowledged, so a crash
 * after the acknowledgement loses nothing; it leaves the inbox once handled. When the database
 * does not take it in time, the person is told so instead of being acknowledged.
 */
export function createIntake(options: IntakeOptions) {
  const { inbox, logger, track } = options;
  const patience = options.keepWithinMs ?? KEEP_WITHIN_MS;
  const slowPatience = Math.max(patience, options.keepSlowlyWithinMs ?? KEEP_SLOWLY_WITHIN_MS);

  // A few deliveries in hand while others wait for their acknowledgement, more once it is quiet
  // (turns.ts); the rest wait their turn, and in the inbox should the process stop.
  const turns = createTurns({
    inHand: options.handledAtOnce,
    inHandWhenQuiet: options.handledAtOnceWhenQuiet,
    holdWhileAcknowledgingMs: options.holdWhileAcknowledgingMs,
  });

  // One person's deliveries are handled in the order they came: "setup" and then "poll" typed a
  // moment apart must not have the poll handled first, in a group that does not exist yet. The
  // person's turn comes before a slot is taken, so nobody holds a slot waiting for their own past.
  const lastOf = new Map<string, Promise<void>>();
  async function inPersonsOrder(body: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
    const person = personOf(body);
    if (!person) return work();
    const before = lastOf.get(person);
    const mine = (async () => {
      await before;
      await work();
    })();
    // The next one waits for this one to end, however it ends.
    const link = mine.catch(() => {});
    lastOf.set(person, link);
    try {
      await mine;
    } finally {
      if (lastOf.get(person) === link) lastOf.delete(person);
    }
  }

  async function handleKept(bolt: App, event: ReceiverEvent, id: string, queued: boolean): Promise<void> {
    if (!queued) return handleNow(bolt, event, id, false);
    return inPersonsOrder(event.body as Record<string, unknown>, () => handleNow(bolt, event, id, true));
  }

  async function handleNow(bolt: App, event: ReceiverEvent, id: string, queued: boolean): Promise<void> {
    if (queued) await turns.turn();
    let released = false;
    try {
      await bolt.processEvent({
        ...event,
        customProperties: {
          ...event.customProperties,
          [KEPT_AS]: id,
          [KEPT_RELEASED]: () => {
            released = true;
          },
        },
      });
    } finally {
      if (queued) turns.done();
      // Not handled, or handled without the core letting it go (refused, or failed): let it go here.
      if (!released)
        await inbox
          ?.release(id)
          .catch((err: unknown) =>
            logger.error({ err }, 'could not let a handled delivery go yet; trying again in the background'),
          );
    }
  }

  /**
   * Keep the delivery and acknowledge it, calling `acked` once its acknowledgement (or the answer
   * that it could not be kept) has gone; then handle it in its turn.
   */
  async function keepThenHandle(bolt: App, event: ReceiverEvent, inbox: Inbox, acked: () => void) {
    const body = event.body as Record<string, unknown>;
    const keeping = keepDelivery(inbox, body, logger);
    const unavailable = (err: unknown) => {
      keeping.abandon();
      logger.error({ ref: errorRef(), err }, 'could not keep a Slack delivery; told the person to try later');
      return answerUnavailable(event, logger).finally(acked);
    };
    let id: string | undefined;
    try {
      id = await keeping.within(patience);
    } catch (err) {
      // Slow, not failed: a command or a click can still be answered through response_url.
      // A form's answer and an event's acknowledgement cannot wait (Slack sends an event again).
      if (!(err instanceof Slow) || typeof body.response_url !== 'string') return unavailable(err);
    }
    // Kept, so acknowledged now, before waiting its turn; only a form's answer must wait for
    // the work (its field errors go in it), so a form does not queue.
    if (id !== undefined && body.type === 'view_submission') {
      acked();
      return track(handleKept(bolt, event, id, false));
    }
    await event.ack();
    acked();
    const answered: ReceiverEvent = { ...event, ack: async () => {} };
    if (id !== undefined) return track(handleKept(bolt, answered, id, true));
    await track(
      keeping.within(slowPatience - patience).then(
        (kept) => handleKept(bolt, answered, kept, true),
        (err: unknown) => {
          keeping.abandon();
          logger.error(
            { ref: errorRef(), err },
            'could not keep an acknowledged Slack delivery; told the person to try later',
          );
          return tellByResponseUrl(body.response_url as string, logger);
        },
      ),
    );
  }

  return {
    /** Whether deliveries other than one in hand wait or are in hand too. */
    busy: () => turns.inIntake() > 1,
    /** Resolves once no delivery waits or is in hand. */
    idle: () => turns.idle(),

    async processEvent(bolt: App, event: ReceiverEvent): Promise<void> {
      if (unusablePayload(event, logger)) return event.ack();
      if (!inbox) return track(bolt.processEvent(event));
      turns.arrived();
      let acked = false;
      const ackedNow = () => {
        if (!acked) turns.answered();
        acked = true;
      };
      try {
        return await keepThenHandle(bolt, event, inbox, ackedNow);
      } finally {
        ackedNow();
      }
    },

    /** Deliveries left from before a restart; read before new ones can arrive. */
    waiting(): Promise<KeptDelivery[]> {
      return inbox ? inbox.waiting('slack') : Promise.resolve([]);
    },

    /**
     * Handle deliveries left from before a restart: taken in hand oldest first, each person's in
     * the order they acted, as many at once as new ones would be, so the clicks on one poll are
     * counted together and its message redrawn a few times, not once a click (Slack allows 50
     * edits a minute). Their acknowledgement went long ago; replies still reach people through
     * response_url (good for 30 minutes), forms are not opened again (a trigger lasts 3 seconds).
     */
    replay(bolt: App, waiting: readonly KeptDelivery[]): Promise<void> {
      if (waiting.length > 0)
        logger.info({ count: waiting.length }, 'handling deliveries kept before a restart');
      const handled = waiting.map((kept) => {
        const event: ReceiverEvent = {
          body: kept.payload as Record<string, unknown>,
          ack: async () => {},
          customProperties: { [RECOVERED]: true },
        };
        return handleKept(bolt, event, kept.id, true).catch((err: unknown) =>
          logger.error({ ref: errorRef(), err }, 'a kept delivery failed'),
        );
      });
      return track(Promise.all(handled).then(() => {}));
    },
  };
}

class Slow extends Error {
  constructor() {
    super('the database did not keep the delivery in time');
  }
}

/**
 * A delivery being kept. within(ms) waits for it, failing with Slow after `ms` (it may be asked
 * again). Once abandoned, because the person was told to try again, a keep that lands after
 * all is let go at once, so it is not handled at the next start.
 */
function keepDelivery(inbox: Inbox, payload: unknown, logger: Logger) {
  const kept = inbox.keep('slack', payload);
  // Nobody may be waiting when it fails (abandoned already): that is not an unhandled rejection.
  kept.catch(() => {});
  return {
    within(ms: number): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Slow()), ms);
        kept.then(
          (id) => {
            clearTimeout(timer);
            resolve(id);
          },
          (err: unknown) => {
            clearTimeout(timer);
            reject(err);
          },
        );
      });
    },
    abandon() {
      // Now if it is kept already, else as soon as it is.
      kept.then(
        (id) =>
          inbox
            .release(id)
            .catch((err: unknown) => logger.error({ err }, 'could not let a late delivery go')),
        () => {},
      );
    },
  };
}

/** Tell the person plainly; an Events API delivery is left unacknowledged, so Slack sends it again. */
async function answerUnavailable(event: ReceiverEvent, logger: Logger): Promise<void> {
  const body = event.body as Record<string, unknown>;
  if ('command' in body) {
    await event.ack({ response_type: 'ephemeral', text: DATABASE_UNAVAILABLE_TEXT });
    return;
  }
  if (body.type === 'view_submission') {
    const values = (body.view as { state?: { values?: Record<string, unknown> } }).state?.values ?? {};
    const [field] = Object.keys(values);
    await event.ack(
      field ? { response_action: 'errors', errors: { [field]: DATABASE_UNAVAILABLE_TEXT } } : undefined,
    );
    return;
  }
  if (body.type === 'block_actions') {
    await event.ack();
    const url = body.response_url;
    if (typeof url === 'string') await tellByResponseUrl(url, logger);
  }
}

/** Say privately, through a response_url, that the database is out of reach. */
async function tellByResponseUrl(url: string, logger: Logger): Promise<void> {
  await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      replace_original: false,
      text: DATABASE_UNAVAILABLE_TEXT,
    }),
    signal: AbortSignal.timeout(5000),
  }).catch((err: unknown) => logger.warn({ err }, 'could not tell the person the database is out of reach'));
}

/** Who a delivery is from, when Slack says: a command's user_id, an interaction's user, an event's user. */
function personOf(body: Record<string, unknown>): string | undefined {
  const user = body.user as { id?: unknown } | undefined;
  const event = body.event as { user?: unknown } | undefined;
  const id = body.user_id ?? user?.id ?? event?.user;
  return typeof id === 'string' && id !== '' ? `${String(body.team_id ?? '')}:${id}` : undefined;
}
