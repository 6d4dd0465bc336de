import { type Db, schema } from '../db/client.js';
import { oneOf, rowsOf } from '../db/rows.js';
import type { ActionEvent } from './chat/index.js';
import type { AppDeps, FeatureDeps } from './deps.js';
import { errorRef, isDatabaseUnavailable } from './errors.js';
import { holdOutputs, notHandled, runAfterwards } from './events.js';
import type { ActionBatch, ActionContext } from './features.js';
import { ensureMembers } from './groups/members.js';
import type { MemberRow } from './groups/types.js';
import { eventKey } from './voter-secret.js';

/** At most `size` pieces of work at once; the rest wait their turn, first come first served. */
export function createGate(size: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (running < size) running++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** The most clicks handled in one transaction. */
const MAX_BATCH = 100;

/**
 * Batches of one key (one poll) written at the same time. A batch spends most of its time waiting
 * for the database's answers, one statement after another; a second one meanwhile keeps copro
 * busy. Votes take the poll's lock shared, so the two wait for each other only where both mark
 * its message out of date, near their end. (poll-votes on a server: the backlog left once a
 * burst of 1,000 clicks is acknowledged, about 700 votes, was stored in 0.22 s, against 0.35 to
 * 0.4 s one batch at a time.) On the embedded database, with its one connection, the second
 * waits for the first.
 */
const BATCHES_AT_ONCE = 2;

/**
 * How many times a batch looks again for more clicks, while they keep coming, before it is taken.
 * Clicks the adapter lets go together (its next deliveries in hand, once the last batch was
 * answered) reach the core over a few turns of the event loop, between other work. Taken at the
 * first, a batch held one click and the next one all the others: twice the transactions for the
 * same votes (poll-votes under autocannon: batches of 1 and 31 in turn; now 32 each).
 */
const GATHER_LOOKS_AT_MOST = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Resolves once no click has joined `waiting` for two turns of the event loop (one would not do:
 * a click due in the same turn as the look, but after it, would be missed), or after
 * GATHER_LOOKS_AT_MOST looks. A lone click waits two turns, a few microseconds.
 */
async function gathered(waiting: readonly unknown[]): Promise<void> {
  let seen = -1;
  for (let look = 0; look < GATHER_LOOKS_AT_MOST && waiting.length !== seen; look++) {
    seen = waiting.length;
    await nextTurn();
    await nextTurn();
  }
}

interface Waiting {
  readonly event: ActionEvent;
  resolve(): void;
  reject(error: unknown): void;
}

export interface ActionBatchesOptions {
  readonly deps: FeatureDeps;
  readonly batches: ReadonlyMap<string, ActionBatch>;
  /** Shared with the events handled one at a time: a batch holds one place while it is written. */
  readonly gate: <T>(work: () => Promise<T>) => Promise<T>;
  /** Handle one event the usual way (handleOnce and its handler); a batch's leftovers go here. */
  readonly alone: (event: ActionEvent) => Promise<unknown>;
}

/**
 * Clicks a feature can handle several at once (ActionBatch) are gathered by key: those arriving
 * while a batch of the same key is being written wait, and go together in the next one. As in
 * handleOnce, each click's effects, the record that it was handled and the release of its inbox
 * row commit together, and nobody is told anything before they have.
 *
 * If a batch fails, its clicks are handled again one at a time, so one click the database refuses
 * does not fail the others with it. If the database is out of reach, each click is handed the
 * failure, and is tried again by its caller once the database answers. Either way, any that did
 * commit (the connection dropped as the commit landed) are then seen as handled already and not
 * counted twice.
 */
export function createActionBatches(options: ActionBatchesOptions) {
  const { deps, batches, gate, alone } = options;
  const queues = new Map<string, Waiting[]>();

  async function drain(key: string, batch: ActionBatch, waiting: Waiting[]): Promise<void> {
    const running = new Set<Promise<void>>();
    /** The people with a click in a batch being written: their next click waits for it. */
    const inBatches = new Set<string>();
    while (waiting.length > 0 || running.size > 0) {
      if (waiting.length === 0 || running.size >= BATCHES_AT_ONCE) {
        await Promise.race(running);
        continue;
      }
      let took: (count: number) => void = () => {};
      const taken = new Promise<number>((resolve) => {
        took = resolve;
      });
      const one = runOne(batch, waiting, inBatches, took)
        .catch((err: unknown) => {
          // runOne answers every failure of its clicks itself; this is for a fault in it.
          deps.logger.error({ ref: errorRef(), err }, 'a batch of clicks could not be run');
          took(0);
        })
        .finally(() => running.delete(one));
      running.add(one);
      // The next batch is looked at once this one has taken its clicks. When it took none (those
      // waiting are all people with a click in the other batch), once the other is written.
      if ((await taken) === 0) {
        await one;
        if (running.size > 0) await Promise.race(running);
      }
    }
    queues.delete(key);
  }

  /**
   * Takes a batch from `waiting` when its turn comes (calling `took` with its size), and handles
   * it. A person's click stays waiting while another of theirs is in a batch being written: the
   * second would be counted from a ballot read before the first committed (on a multiple-choice
   * poll, a choice added by the first would be lost).
   */
  async function runOne(
    batch: ActionBatch,
    waiting: Waiting[],
    inBatches: Set<string>,
    took: (count: number) => void,
  ): Promise<void> {
    let people: string[] = [];
    try {
      // The batch is taken when its turn comes, so clicks that arrive meanwhile go in it too.
      const { left, finish } = await gate(async () => {
        await gathered(waiting);
        const taken = takeBatch(waiting, inBatches);
        people = taken.map((w) => personOf(w.event));
        for (const person of people) inBatches.add(person);
        took(taken.length);
        if (taken.length === 0) return { left: [], finish: async () => {} };
        try {
          return await commitMany(batch, taken);
        } catch (err) {
          // Out of reach: each click waits for the database on its own (the caller's), at once.
          // Handled alone one after another, each would first wait out the connection timeout,
          // and the last of a hundred would hear nothing for many minutes.
          if (isDatabaseUnavailable(err)) {
            deps.logger.debug({ err, count: taken.length }, 'a batch of clicks found the database gone');
            for (const w of taken) w.reject(err);
            return { left: [], finish: async () => {} };
          }
          deps.logger.warn({ err, count: taken.length }, 'a batch of clicks failed; handling each alone');
          return { left: taken, finish: async () => {} };
        }
      });
      // The next batch need not wait for this one's answers: its votes have committed.
      void finish().catch(() => {});
      for (const w of left) await alone(w.event).then(() => w.resolve(), w.reject);
    } finally {
      for (const person of people) inBatches.delete(person);
    }
  }

  /**
   * Runs the batch in one transaction. Returns the clicks it left, to be handled alone, and what
   * is to be done for the others now that they have committed (each resolves once answered).
   */
  async function commitMany(batch: ActionBatch, taken: readonly Waiting[]) {
    const outs = taken.map((w) => ({ w, ...holdOutputs(w.event) }));
    const afterwards: ((deps: AppDeps) => Promise<void>)[] = [];
    let flush = false;
    const { handled, left } = await deps.db.transaction(async (tx) => {
      // Sent together: whether each was seen before, and who each person is (known or not).
      const [fresh, members] = await Promise.all([
        firstTimes(
          tx,
          deps.voterSecret,
          taken.map((w) => w.event),
        ),
        ensureMembers(
          tx,
          taken.map((w) => w.event.actor),
        ),
      ]);
      const newOnes = outs.flatMap((o, i) => (fresh[i] ? [{ ...o, member: members[i] as MemberRow }] : []));
      const inTransaction: FeatureDeps = {
        ...deps,
        db: tx,
        ...(deps.outbox ? { outbox: { flush: async () => (flush = true) } } : {}),
        afterCommit: (work) => afterwards.push(work),
      };
      const contexts = newOnes.map(
        (o): ActionContext => ({
          deps: inTransaction,
          event: o.holding,
          actor: o.w.event.actor,
          member: o.member,
        }),
      );
      const leftContexts = new Set(await batch.runMany(inTransaction, contexts));
      const leftOuts = newOnes.filter((_, i) => leftContexts.has(contexts[i] as ActionContext));
      const handledOuts = outs.filter((o) => !leftOuts.some((l) => l.w === o.w));
      const kept = handledOuts.flatMap((o) => (o.w.event.keptAs ? [o.w.event.keptAs] : []));
      await Promise.all([
        // Those left are handled alone next: they are not handled yet, and their row stays kept.
        leftOuts.length > 0 &&
          forget(
            tx,
            deps.voterSecret,
            leftOuts.map((o) => o.w.event),
          ),
        kept.length > 0 && tx.delete(schema.inbox).where(oneOf(schema.inbox.id, kept)),
      ]);
      return { handled: handledOuts, left: leftOuts.map((o) => o.w) };
    });
    for (const o of handled) if (o.w.event.keptAs) o.w.event.keptReleased?.();
    const failed = (what: string) => (err: unknown) =>
      deps.logger.error({ ref: errorRef(), err, kind: 'action' }, what);
    // Each person's answer goes out on its own. The poll's message is drawn after: where the
    // adapter can wait for it (ActionEvent.leaveRunning), the clicks are handled once answered,
    // so the adapter takes the next ones in hand while it is drawn, and they go in one batch.
    const later = async () => {
      await runAfterwards(deps, afterwards, 'action');
      if (flush) await deps.outbox?.flush().catch(failed('could not deliver after handling an event'));
    };
    const leaveRunning = handled[0]?.w.event.leaveRunning;
    const finish = async () => {
      try {
        await Promise.all(
          handled.map(async (o) => {
            for (const send of o.held) await send().catch(failed('could not answer after handling an event'));
          }),
        );
        if (leaveRunning) leaveRunning(later());
        else await later();
      } finally {
        for (const o of handled) o.w.resolve();
      }
    };
    return { left, finish };
  }

  return {
    /** The key a click is gathered under, or undefined when it is handled alone. */
    keyOf(event: ActionEvent): string | undefined {
      const batch = batches.get(event.actionId);
      const key = batch?.key(event);
      return key === undefined ? undefined : `${event.actionId}\u0000${key}`;
    },
    /** Resolves once the click is handled (in a batch, or alone); rejects as the handling does. */
    handle(event: ActionEvent, key: string): Promise<void> {
      const batch = batches.get(event.actionId) as ActionBatch;
      return new Promise<void>((resolve, reject) => {
        const waiting = queues.get(key);
        if (waiting) return void waiting.push({ event, resolve, reject });
        const fresh: Waiting[] = [{ event, resolve, reject }];
        queues.set(key, fresh);
        void drain(key, batch, fresh);
      });
    },
  };
}

/** firstTime for several events in one statement: for each, whether it is seen for the first time. */
async function firstTimes(
  tx: Db,
  secret: Buffer | undefined,
  events: readonly ActionEvent[],
): Promise<boolean[]> {
  const keys = events.map((e) => ({ platform: e.actor.platform, eventId: eventKey(e.id, secret) }));
  const rows = await tx
    .insert(schema.processedEvents)
    .select(rowsOf(schema.processedEvents, keys))
    .onConflictDoNothing()
    .returning({ platform: schema.processedEvents.platform, eventId: schema.processedEvents.eventId });
  const fresh = new Set(rows.map((r) => `${r.platform}\u0000${r.eventId}`));
  // The same event twice in one batch (a redelivery that came quickly) counts once.
  return keys.map((k) => fresh.delete(`${k.platform}\u0000${k.eventId}`));
}

/** Take back the record that these events were handled (they were left for handling alone). */
async function forget(tx: Db, secret: Buffer | undefined, events: readonly ActionEvent[]): Promise<void> {
  for (const platform of new Set(events.map((e) => e.actor.platform))) {
    const ids = events.filter((e) => e.actor.platform === platform).map((e) => e.id);
    await notHandled(tx, platform, ids, secret);
  }
}

/** Who clicked, across platforms and workspaces. */
function personOf(event: ActionEvent): string {
  const { platform, workspaceId, userId } = event.actor;
  return `${platform}\u0000${workspaceId}\u0000${userId}`;
}

/**
 * Up to MAX_BATCH of the clicks waiting, first come first, leaving those of people with a click
 * in a batch being written (`inBatches`), in their order.
 */
function takeBatch(waiting: Waiting[], inBatches: ReadonlySet<string>): Waiting[] {
  if (inBatches.size === 0) return waiting.splice(0, MAX_BATCH);
  const taken: Waiting[] = [];
  const stay: Waiting[] = [];
  for (const w of waiting) {
    if (taken.length < MAX_BATCH && !inBatches.has(personOf(w.event))) taken.push(w);
    else stay.push(w);
  }
  waiting.splice(0, waiting.length, ...stay);
  return taken;
}
