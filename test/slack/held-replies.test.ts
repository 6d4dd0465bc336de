import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createHeldReplies } from '../../adapters/slack/held-replies.js';
import { createTurns } from '../../adapters/slack/turns.js';
import { createLogger } from '../../src/logger.js';

/** A logger whose lines are kept, parsed. */
function collectingLogger() {
  const lines: { msg?: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines: () => lines };
}

/** Held replies over real turns; `reply` sends a text that is noted in `sent` when it goes. */
function setUp(holdAtMostMs = 5_000) {
  const turns = createTurns({ inHand: 4 });
  const tracked: Promise<unknown>[] = [];
  const logs = collectingLogger();
  const replyWhenFree = createHeldReplies({
    busy: () => turns.inIntake() > 1,
    idle: () => turns.idle(),
    track: (work) => {
      tracked.push(work);
      return work;
    },
    logger: logs.logger,
    holdAtMostMs,
  });
  const sent: string[] = [];
  const reply = (to: string, text: string) =>
    replyWhenFree(to, { text }, async () => {
      sent.push(`${to}: ${text}`);
    });
  return { turns, tracked, logs, sent, reply, replyWhenFree };
}

describe('answers to clicks', () => {
  it('go at once while nothing else waits', async () => {
    const { turns, sent, reply } = setUp();
    turns.arrived();
    turns.answered();
    await turns.turn();
    await reply('u1', 'You voted "Monday".');
    expect(sent).toEqual(['u1: You voted "Monday".']);
  });

  it('wait while other clicks wait, then all go, each click’s in the order it made them', async () => {
    const { turns, sent, reply, tracked } = setUp();
    for (let i = 0; i < 3; i++) turns.arrived();
    turns.answered();
    await turns.turn();
    await reply('u1', 'page 1');
    await reply('u1', 'page 2');
    await reply('u2', 'You voted "Tuesday".');
    expect(sent).toEqual([]);
    turns.answered();
    turns.answered();
    await turns.turn();
    await turns.turn();
    turns.done();
    turns.done();
    expect(sent).toEqual([]);
    turns.done();
    await Promise.all(tracked);
    expect(sent.filter((s) => s.startsWith('u1'))).toEqual(['u1: page 1', 'u1: page 2']);
    expect(sent).toHaveLength(3);
  });

  it('wait no longer than the limit when clicks keep coming', async () => {
    const { turns, sent, reply } = setUp(50);
    for (let i = 0; i < 5; i++) turns.arrived();
    await reply('u1', 'You voted "Monday".');
    await sleep(20);
    expect(sent).toEqual([]);
    await sleep(80);
    expect(sent).toEqual(['u1: You voted "Monday".']);
  });

  it('made while the click’s earlier ones are being sent, go after them', async () => {
    const { turns, tracked, replyWhenFree } = setUp();
    const sent: string[] = [];
    const slowly = (text: string) => async () => {
      await sleep(30);
      sent.push(text);
    };
    turns.arrived();
    turns.arrived();
    await replyWhenFree('u1', {}, slowly('It has kept what you did.'));
    turns.answered();
    turns.answered();
    await sleep(5);
    // Now nothing waits: the held reply is on its way, and the next one must not overtake it.
    await replyWhenFree('u1', {}, async () => {
      sent.push('Thank you. You voted "Monday".');
    });
    await Promise.all(tracked);
    expect(sent).toEqual(['It has kept what you did.', 'Thank you. You voted "Monday".']);
  });

  it('that cannot be sent are logged, and the others still go', async () => {
    const { turns, tracked, logs, sent, replyWhenFree } = setUp();
    turns.arrived();
    turns.arrived();
    await replyWhenFree('u1', {}, async () => {
      throw new Error('Slack said no');
    });
    await replyWhenFree('u2', {}, async () => {
      sent.push('u2');
    });
    turns.answered();
    turns.answered();
    await Promise.all(tracked);
    expect(sent).toEqual(['u2']);
    expect(logs.lines().some((l) => l.msg === 'could not send a held reply to a click')).toBe(true);
  });
});
