import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHeldReplies } from '../../adapters/slack/held-replies.js';
import { createKeptAnswers, KEPT_ANSWERS, type KeptAnswer } from '../../adapters/slack/kept-answers.js';
import { createTurns } from '../../adapters/slack/turns.js';
import { createInbox, type Inbox } from '../../src/inbox.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * Answers to clicks held while a burst is stored are kept in the inbox as well, so a process that
 * stops before sending them does not lose them: the next start sends them.
 */
let db: TestDb;
let inbox: Inbox;

beforeAll(async () => {
  db = await openTestDb();
});
beforeEach(async () => {
  await db.reset();
  inbox = createInbox(db.db, { key: randomBytes(32) });
});
afterAll(async () => {
  await db.close();
});

/** A copro process's held answers, over real turns; `tracked` is what its stop() would wait for. */
function aProcess(options: { leftAfterMs?: number; now?: () => number } = {}) {
  const tracked: Promise<unknown>[] = [];
  const track = <T>(work: Promise<T>) => {
    tracked.push(work);
    return work;
  };
  const turns = createTurns({ inHand: 4 });
  const kept = createKeptAnswers({ inbox, logger: silentLogger(), track, ...options });
  const sent: string[] = [];
  const replyWhenFree = createHeldReplies({
    busy: () => turns.inIntake() > 1,
    idle: () => turns.idle(),
    track,
    logger: silentLogger(),
    keep: kept.keep,
  });
  const answer = (to: string, text: string) =>
    replyWhenFree(to, { text }, async () => {
      sent.push(`${to}: ${text}`);
    });
  const settled = async () => {
    while (tracked.length > 0) await Promise.allSettled(tracked.splice(0));
  };
  return { turns, kept, sent, answer, settled };
}

const keptRows = () => inbox.waiting(KEPT_ANSWERS);

describe('answers held while a burst is stored', () => {
  it('are kept, sealed, until they have gone', async () => {
    const copro = aProcess();
    copro.turns.arrived();
    copro.turns.arrived();
    await copro.answer('https://hooks.slack.test/1', 'You voted "Monday".');
    await copro.answer('https://hooks.slack.test/2', 'You voted "Tuesday".');
    await new Promise((r) => setTimeout(r, 50));
    expect(copro.sent).toEqual([]);
    const rows = await keptRows();
    expect(rows.flatMap((r) => (r.payload as { answers: KeptAnswer[] }).answers)).toEqual([
      { to: 'https://hooks.slack.test/1', message: { text: 'You voted "Monday".' } },
      { to: 'https://hooks.slack.test/2', message: { text: 'You voted "Tuesday".' } },
    ]);
    // How someone voted is not readable in the table.
    const raw = await db.db.execute(sql`select payload::text as payload from inbox`);
    const text = JSON.stringify(raw);
    expect(text).not.toContain('Monday');
    expect(text).not.toContain('hooks.slack.test');

    copro.turns.answered();
    copro.turns.answered();
    await copro.settled();
    expect(copro.sent).toHaveLength(2);
    expect(await keptRows()).toEqual([]);
  });

  it('that a stopped process did not send go at the next start, and are let go', async () => {
    const stopped = aProcess();
    stopped.turns.arrived();
    stopped.turns.arrived();
    await stopped.answer('https://hooks.slack.test/1', 'You voted "Monday".');
    await stopped.answer('https://hooks.slack.test/2', 'You voted "Tuesday".');
    await new Promise((r) => setTimeout(r, 50));
    expect((await keptRows()).flatMap((r) => (r.payload as { answers: KeptAnswer[] }).answers)).toHaveLength(
      2,
    );

    const next = aProcess({ leftAfterMs: 0 });
    const resent: KeptAnswer[] = [];
    await next.kept.resend(async (answer) => {
      resent.push(answer);
    });
    await next.settled();
    expect(resent.map((a) => a.message.text).sort()).toEqual(['You voted "Monday".', 'You voted "Tuesday".']);
    expect(await keptRows()).toEqual([]);
  });

  it('are left to a process still running until they are old enough to be its leftovers', async () => {
    const running = aProcess();
    running.turns.arrived();
    running.turns.arrived();
    await running.answer('https://hooks.slack.test/1', 'You voted "Monday".');
    await new Promise((r) => setTimeout(r, 50));

    const starting = aProcess({ leftAfterMs: 300 });
    const resent: KeptAnswer[] = [];
    const resending = starting.kept.resend(async (answer) => {
      resent.push(answer);
    });
    // The running one sends its answer and lets the row go before it counts as left.
    running.turns.answered();
    running.turns.answered();
    await running.settled();
    await resending;
    expect(running.sent).toEqual(['https://hooks.slack.test/1: You voted "Monday".']);
    expect(resent).toEqual([]);
  });

  it('are let go unsent once Slack no longer takes them (30 minutes)', async () => {
    const stopped = aProcess();
    stopped.turns.arrived();
    stopped.turns.arrived();
    await stopped.answer('https://hooks.slack.test/1', 'You voted "Monday".');
    await new Promise((r) => setTimeout(r, 50));

    const muchLater = aProcess({ now: () => Date.now() + 31 * 60_000 });
    const resent: KeptAnswer[] = [];
    await muchLater.kept.resend(async (answer) => {
      resent.push(answer);
    });
    expect(resent).toEqual([]);
    expect(await keptRows()).toEqual([]);
  });
});
