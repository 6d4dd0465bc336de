import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
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
