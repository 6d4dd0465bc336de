import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { ActionEvent, Actor, FormValues, MessageRef } from '../../src/chat/index.js';
import { type Clock, fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher } from '../../src/jobs/index.js';
import type { Logger } from '../../src/logger.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import type { TestDb } from '../support/db.js';
import { clicked, submitted, typed } from '../support/events.js';

/** Where copro posted a poll (the reference the platform gave back once it was delivered). */
export async function pollMessageRef(db: TestDb, code: string): Promise<MessageRef | undefined> {
  const [poll] = await db.db.select().from(schema.polls).where(eq(schema.polls.code, code));
  const [row] = await db.db
    .select({ ref: schema.outbox.messageRef })
    .from(schema.outbox)
    .where(and(eq(schema.outbox.purpose, `poll:${poll?.id}`), like(schema.outbox.recipient, '%:channel:%')));
  return (row?.ref ?? undefined) as MessageRef | undefined;
}

/** A secret kept outside the database, as COPRO_ENCRYPTION_KEY or the key file provides it. */
export const TEST_SECRET = Buffer.alloc(32, 7);

/**
 * The core app on a real database behind a recording console platform, with the steps a poll
 * test takes: people join the home channel, a poll is started and delivered, people click its
 * buttons on the message copro posted.
 */
export function pollWorld(
  db: TestDb,
  options: {
    clock?: ReturnType<typeof fixedClock>;
    logger?: Logger;
    secret?: Buffer | null;
    /** The outbox's nudge after handling, as main.ts gives it (none by default). */
    flush?: () => Promise<unknown>;
  } = {},
) {
  const clock = options.clock ?? fixedClock('2026-11-23T10:00:00Z');
  const logger = options.logger ?? silentLogger();
  /** Who the platform says is in the home channel, for people copro has not seen join it. */
  const inChannel = new Set<string>();
  const platform = Object.assign(recordingPlatform(clock as Clock, 'console'), {
    isChannelMember: async (_workspace: string, _channel: string, userId: string) => inChannel.has(userId),
  });
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: platform },
    voterSecret: options.secret === null ? undefined : (options.secret ?? TEST_SECRET),
    ...(options.flush ? { outbox: { flush: options.flush } } : {}),
  };
  const app = createApp(deps);
  const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });

  async function say(actor: Actor, text: string, channelId = 'general'): Promise<string> {
    const { event, said } = typed(actor, text, channelId);
    await app.handle(event);
    return said.map((s) => s.message.text).join('\n');
  }

  /** Someone joins the group's home channel, as the platform reports it. */
  async function joins(actor: Actor, channelId = 'general'): Promise<void> {
    await app.handle({ kind: 'memberJoined', id: randomUUID(), actor, channelId });
  }

  /** Start a poll and deliver its message; returns the poll's code. */
  async function openPoll(text: string, by: Actor): Promise<string> {
    const answer = await say(by, text);
    const code = /poll (P[A-Z0-9]+) is posted/.exec(answer)?.[1];
    if (!code) throw new Error(`no poll code in: ${answer}`);
    await dispatcher.dispatchDue();
    return code;
  }

  const pollMessage = (code: string) => pollMessageRef(db, code);

  /** A click on a button of the poll's own message (or of `message`, when given). */
  async function click(
    actor: Actor,
    actionId: string,
    value: string,
    on?: { code?: string; message?: MessageRef; leaveRunning?: ActionEvent['leaveRunning'] },
  ): Promise<string> {
    const { event, said } = clicked(actor, actionId, value);
    const message = on?.message ?? (on?.code ? await pollMessage(on.code) : undefined);
    await app.handle({
      ...event,
      ...(message ? { message, channelId: message.channelId } : {}),
      ...(on?.leaveRunning ? { leaveRunning: on.leaveRunning } : {}),
    });
    return said.map((s) => s.message.text).join('\n');
  }

  /** Press the poll's button for option `option`. */
  const vote = (actor: Actor, code: string, option: number | string) =>
    click(actor, 'poll.vote', `${code}:${option}`, { code });

  /** Send a ranking form, as opened from the poll's "Rank the options" button. */
  async function rank(actor: Actor, code: string, ranking: readonly number[]) {
    const values: FormValues = Object.fromEntries(ranking.map((v, i) => [`rank${i + 1}`, String(v)]));
    const { event, said } = submitted(actor, 'poll.rank', values, code);
    const outcome = await app.handle(event);
    return { outcome, text: said.map((s) => s.message.text).join('\n') };
  }

  /** Close a poll and deliver the results; returns the results post's text. */
  async function close(code: string, by: Actor): Promise<string> {
    await say(by, `poll close ${code}`);
    await dispatcher.dispatchDue();
    return platform.posts().find((p) => p.text.includes(`Poll ${code} has closed`))?.text ?? '';
  }

  return {
    clock,
    deps,
    app,
    platform,
    inChannel,
    dispatcher,
    say,
    joins,
    openPoll,
    pollMessage,
    click,
    vote,
    rank,
    close,
  };
}
