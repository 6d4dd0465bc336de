/**
 * Deliveries in hand at the same time while any delivery waits for its acknowledgement, unless
 * the host asks for more (main.ts does, on a database server). The embedded database answers in
 * copro's own thread, one statement at a time, and an acknowledgement waits for its delivery to
 * be kept there: handling taken in hand meanwhile holds it up. Slack gives up after 3 seconds,
 * so acknowledging comes first. (poll-votes, 200 clicks at once on PGlite: with 4 in hand, and
 * no call to Slack inside a click's handling to leave gaps, the slowest acknowledgement took 3 to
 * 4.6 s; with 1, 0.35 to 0.66 s.)
 */
export const HANDLED_AT_ONCE = 1;

/**
 * Deliveries in hand once none has arrived for QUIET_AFTER_MS, for a host that asks for it
 * (handledAtOnceWhenQuiet; main.ts does, on a database server). The core counts clicks on one
 * poll together, so a backlog worked through in large batches costs far less a click (poll-votes
 * on a server: votes stored about four times as fast, acknowledgements as fast). The embedded
 * database keeps HANDLED_AT_ONCE: there each statement runs in copro's own thread, and the next
 * burst's acknowledgements would wait behind them.
 */
export const HANDLED_AT_ONCE_WHEN_QUIET = 200;

/**
 * Deliveries in hand while others wait, for a host on a database server (main.ts): its
 * statements run in the server's process, not copro's thread, and the core counts the clicks on
 * one poll together, so more in hand makes larger batches and fewer statements a click.
 * (poll-votes, autocannon sending: votes stored at 0.42 to 0.46 of bare Bolt's acknowledged rate
 * with 16, 0.42 to 0.57 with 32, with acknowledgements as fast.)
 */
export const HANDLED_AT_ONCE_ON_SERVER = 32;

/**
 * How long a delivery may wait to be taken in hand while others wait for their acknowledgement,
 * for a host that asks for it (main.ts does, on a database server). Until then the process gives
 * its time to acknowledging, which Slack times, and to storing what is in hand already; handling
 * more would only queue behind the acknowledgements. Past it, deliveries go HANDLED_AT_ONCE_ON_SERVER
 * at a time as before, so a flow of clicks that never stops is still worked through. (poll-votes,
 * autocannon sending, 5 runs each: clicks acknowledged at 0.89 to 1.17 of bare Bolt's rate, mean
 * 1.04, and votes stored at 0.57 to 0.70, mean 0.65; without it 0.70 to 0.96, mean 0.84, and 0.47
 * to 0.65, mean 0.57. On the embedded database it made no difference: 300 to 340 ms for 200 at once.)
 */
export const HOLD_WHILE_ACKNOWLEDGING_MS = 300;

/**
 * How long no delivery may arrive before the intake counts as quiet. Shorter, and a pause inside a
 * burst counts as quiet too: at 30 ms, poll-votes' in-process sender (which shares copro's two
 * cores) paused that long twice in one burst, and the slowest acknowledgements took twice as long.
 */
export const QUIET_AFTER_MS = 100;

export interface TurnOptions {
  /** In hand while a delivery waits for its acknowledgement (default HANDLED_AT_ONCE). */
  readonly inHand?: number;
  /** In hand once quiet (default `inHand`: no more than while busy). */
  readonly inHandWhenQuiet?: number;
  readonly quietAfterMs?: number;
  /**
   * How long a delivery may wait, while others wait for their acknowledgement, before it is taken
   * in hand (HOLD_WHILE_ACKNOWLEDGING_MS). Default 0: taken in hand as `inHand` allows.
   */
  readonly holdWhileAcknowledgingMs?: number;
}

/**
 * Whose turn it is to be handled. The intake tells it when a delivery arrives and when its
 * acknowledgement has gone; a delivery waits for turn() before it is handled and calls done()
 * after. Those not in hand wait here, in order, and in the inbox should the process stop.
 */
export function createTurns(options: TurnOptions = {}) {
  const inHand = options.inHand ?? HANDLED_AT_ONCE;
  const inHandWhenQuiet = Math.max(inHand, options.inHandWhenQuiet ?? inHand);
  const quietAfterMs = options.quietAfterMs ?? QUIET_AFTER_MS;
  const holdMs = options.holdWhileAcknowledgingMs ?? 0;
  let running = 0;
  let awaitingAck = 0;
  let arrivals = 0;
  let quiet = true;
  const queue: { readonly go: () => void; readonly at: number }[] = [];
  const whenIdle: (() => void)[] = [];
  /** Set while the first waiting is held: it takes its turn when the hold ends. */
  let holdEnds: NodeJS.Timeout | undefined;
  /** Whether the first waiting (or one arriving now, when none waits) is held back. */
  const holding = () => {
    if (holdMs <= 0 || awaitingAck === 0) return false;
    const waited = queue.length > 0 ? performance.now() - (queue[0]?.at ?? 0) : 0;
    if (waited >= holdMs) return false;
    if (holdEnds === undefined && queue.length > 0) {
      holdEnds = setTimeout(() => {
        holdEnds = undefined;
        pump();
      }, holdMs - waited);
      // An acknowledgement still due keeps its request, and so the process, alive.
      holdEnds.unref();
    }
    return true;
  };
  const limit = () => (quiet ? inHandWhenQuiet : holding() ? 0 : inHand);
  const pump = () => {
    while (running < limit() && queue.length > 0) {
      running++;
      queue.shift()?.go();
    }
  };
  const inIntake = () => awaitingAck + queue.length + running;
  const tellIfIdle = () => {
    if (inIntake() > 0) return;
    for (const idle of whenIdle.splice(0)) idle();
  };

  return {
    /** A delivery arrived: it waits for its acknowledgement. */
    arrived(): void {
      arrivals++;
      awaitingAck++;
      quiet = false;
    },
    /**
     * Its acknowledgement (or the answer that it could not be kept) has gone. When no other waits,
     * the intake is quiet after quietAfterMs without arrivals. A timer alone can fire before
     * requests already at the door are read (timers run before the poll for input in each turn of
     * the event loop), so the check waits two turns more: a poll for input has come between.
     */
    answered(): void {
      awaitingAck--;
      tellIfIdle();
      // The last acknowledgement has gone: those held go now.
      if (awaitingAck === 0) pump();
      // Without a larger limit for quiet moments there is nothing to wait for.
      if (awaitingAck > 0 || inHandWhenQuiet === inHand) return;
      const seen = arrivals;
      // Any delivery still waiting arrived after this one's acknowledgement, so it counts here.
      const check = () => {
        if (arrivals !== seen) return;
        quiet = true;
        pump();
      };
      setTimeout(() => setImmediate(() => setImmediate(check)), quietAfterMs).unref();
    },
    /** Resolves when this delivery may be handled. */
    turn(): Promise<void> {
      if (queue.length === 0 && running < limit()) {
        running++;
        return Promise.resolve();
      }
      const waiting = new Promise<void>((go) => queue.push({ go, at: performance.now() }));
      // Held, it needs the timer that ends its hold.
      if (queue.length === 1) pump();
      return waiting;
    },
    /** A delivery in hand has been handled: the next may go. */
    done(): void {
      running--;
      pump();
      tellIfIdle();
    },
    /** Deliveries waiting for their acknowledgement, for their turn, or in hand. */
    inIntake,
    /** Resolves once no delivery waits or is in hand (at once if none does). */
    idle(): Promise<void> {
      if (inIntake() === 0) return Promise.resolve();
      return new Promise<void>((resolve) => whenIdle.push(resolve));
    },
  };
}

export type Turns = ReturnType<typeof createTurns>;
