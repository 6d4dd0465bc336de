import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTurns } from '../../adapters/slack/turns.js';

/** Asks for `n` turns and reports, in order, which have been given so far. */
function ask(turns: ReturnType<typeof createTurns>, n: number) {
  const given: number[] = [];
  for (let i = 0; i < n; i++) void turns.turn().then(() => given.push(i));
  return given;
}

const QUIET_AFTER_MS = 20;
/** Long enough for the quiet check (a timer, then two turns of the event loop). */
const PAST_QUIET = QUIET_AFTER_MS + 60;

describe('turns to be handled', () => {
  it('takes only a few in hand while a delivery waits for its acknowledgement', async () => {
    const turns = createTurns({ inHand: 2, inHandWhenQuiet: 6, quietAfterMs: QUIET_AFTER_MS });
    turns.arrived();
    const given = ask(turns, 10);
    await sleep(PAST_QUIET);
    expect(given).toEqual([0, 1]);
  });

  it('takes more in hand once no delivery has arrived for a moment, in the order they came', async () => {
    const turns = createTurns({ inHand: 2, inHandWhenQuiet: 6, quietAfterMs: QUIET_AFTER_MS });
    turns.arrived();
    const given = ask(turns, 10);
    turns.answered();
    await sleep(QUIET_AFTER_MS / 2);
    expect(given).toEqual([0, 1]);
    await sleep(PAST_QUIET);
    expect(given).toEqual([0, 1, 2, 3, 4, 5]);
    turns.done();
    await sleep(0);
    expect(given).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('counts from the last arrival, even of a delivery already acknowledged', async () => {
    const turns = createTurns({ inHand: 2, inHandWhenQuiet: 6, quietAfterMs: 100 });
    turns.arrived();
    const given = ask(turns, 10);
    turns.answered();
    await sleep(50);
    turns.arrived();
    turns.answered();
    // 125 ms after the first arrival, 75 ms after the second: not quiet yet.
    await sleep(75);
    expect(given).toEqual([0, 1]);
    await sleep(100);
    expect(given).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('is not quiet while a delivery waits for its acknowledgement, however long', async () => {
    const turns = createTurns({ inHand: 2, inHandWhenQuiet: 6, quietAfterMs: QUIET_AFTER_MS });
    turns.arrived();
    const given = ask(turns, 10);
    turns.answered();
    await sleep(QUIET_AFTER_MS / 2);
    turns.arrived();
    await sleep(PAST_QUIET * 2);
    expect(given).toEqual([0, 1]);
  });

  it('goes back to a few in hand when deliveries arrive again', async () => {
    const turns = createTurns({ inHand: 1, inHandWhenQuiet: 3, quietAfterMs: QUIET_AFTER_MS });
    turns.arrived();
    turns.answered();
    await sleep(PAST_QUIET);
    const first = ask(turns, 3);
    await sleep(0);
    expect(first).toEqual([0, 1, 2]);
    turns.arrived();
    const later = ask(turns, 3);
    for (let i = 0; i < 3; i++) turns.done();
    await sleep(0);
    expect(later).toEqual([0]);
  });

  it('takes no more when quiet than when busy, unless told to', async () => {
    const turns = createTurns({ inHand: 2, quietAfterMs: QUIET_AFTER_MS });
    turns.arrived();
    turns.answered();
    await sleep(PAST_QUIET);
    const given = ask(turns, 5);
    await sleep(0);
    expect(given).toEqual([0, 1]);
  });
});

describe('turns while acknowledgements are due, with a hold', () => {
  const HOLD_MS = 1_000;
  // The hold is timed on the process's clock; a fake one keeps a slow test machine from moving it.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const passes = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  it('takes nothing new in hand until the last acknowledgement has gone', async () => {
    const turns = createTurns({ inHand: 2, holdWhileAcknowledgingMs: HOLD_MS });
    turns.arrived();
    turns.arrived();
    turns.answered();
    const given = ask(turns, 3);
    await passes(HOLD_MS / 2);
    expect(given).toEqual([]);
    turns.answered();
    await passes(0);
    expect(given).toEqual([0, 1]);
  });

  it('takes each waiting delivery in hand once it has waited the hold, though acknowledgements are still due', async () => {
    const turns = createTurns({ inHand: 2, holdWhileAcknowledgingMs: HOLD_MS });
    turns.arrived();
    const first = ask(turns, 1);
    await passes(HOLD_MS / 2);
    const later = ask(turns, 3);
    await passes(HOLD_MS / 4);
    expect([first, later]).toEqual([[], []]);
    // The first has waited the hold; the later ones have not.
    await passes(HOLD_MS / 2);
    expect([first, later]).toEqual([[0], []]);
    // Now they have, and go as inHand allows.
    await passes(HOLD_MS / 2);
    expect(later).toEqual([0]);
    turns.done();
    await passes(0);
    expect(later).toEqual([0, 1]);
  });

  it('takes a delivery in hand at once when no acknowledgement is due', async () => {
    const turns = createTurns({ inHand: 2, holdWhileAcknowledgingMs: HOLD_MS });
    turns.arrived();
    turns.answered();
    const given = ask(turns, 1);
    await passes(0);
    expect(given).toEqual([0]);
  });
});
