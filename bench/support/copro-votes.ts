/**
 * copro's side of the poll-votes bench: the real Slack adapter (Bolt over HTTP, port 0) keeping
 * deliveries in the inbox, the real core and the outbox dispatcher, wired as main.ts wires them,
 * on a database the caller opened. One poll, then a burst of clicks from the sender thread.
 */

import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { and, count, eq } from 'drizzle-orm';
import { createSlackPlatform, ON_A_DATABASE_SERVER } from '../../adapters/slack/index.js';
import { type OpenedDb, schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createInbox } from '../../src/inbox.js';
import { createDispatcher } from '../../src/jobs/index.js';
import type { Logger } from '../../src/logger.js';
import { slackDriver } from '../../test/support/slack-driver.js';
import { until } from '../../test/support/slack-process.js';
import type { CannonResult } from './cannon.js';
import { type BurstResult, type Click, epochNow, memberId, type startFakeInWorker } from './slack-side.js';
import { watchStored } from './stored-watch.js';

type Fake = Awaited<ReturnType<typeof startFakeInWorker>>;

export interface CoproRun {
  readonly run: BurstResult;
  /** From the first click sent to every vote handled, ms. */
  readonly handledMs: number;
  /** The app's own share of each ack: from the request reaching it to the response sent, ms. */
  readonly inApp: number[];
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly votesStored: number;
  readonly chatUpdates: number;
  readonly chatUpdatesRejected: number;
  readonly lastUpdateShowsAllVotes: boolean;
  /** The same on a poll of its own, with clicks sent by autocannon from another process. */
  readonly cannon?: {
    readonly result: CannonResult;
    readonly handledMs: number;
    /** From the first click sent to the last vote committed (answers may still be on their way), ms. */
    readonly storedMs: number;
    /** The app's main thread busy (event-loop utilisation) from the first click to every vote handled, ms. */
    readonly busyMs: number;
  };
}

export async function coproVotes(input: {
  readonly opened: OpenedDb;
  /** The server's address, when `opened` is one: the votes stored are counted from another thread. */
  readonly databaseUrl?: string;
  readonly fake: Fake;
  readonly logger: Logger;
  readonly signingSecret: string;
  readonly coordinator: string;
  readonly warmUp: number;
  /** Members M00000… click; `tag` keeps two runs' members apart in one fake. */
  readonly clicks: number;
  readonly send: (port: number, clicks: Click[]) => Promise<BurstResult>;
  /** Then as many clicks again, from members K00000…, sent by autocannon. */
  readonly cannon?: (port: number, clicks: Click[]) => Promise<CannonResult>;
}): Promise<CoproRun> {
  const { opened, fake, logger } = input;
  const { db } = opened;
  const platforms: AppDeps['platforms'] = {};
  const dispatcher = createDispatcher({ db, clock: systemClock, logger, platforms });
  // As main.ts has them: a key outside the database, so each delivery is kept sealed and the
  // record of handled events holds keyed hashes.
  const voterSecret = randomBytes(32);
  const deps: AppDeps = {
    db,
    voterSecret,
    clock: systemClock,
    logger,
    platforms,
    outbox: { flush: () => dispatcher.dispatchDue() },
  };
  const app = createApp(deps);
  const slack = createSlackPlatform(
    {
      botToken: fake.botToken,
      signingSecret: input.signingSecret,
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
    },
    {
      logger,
      health: opened.ping,
      inbox: createInbox(db, { key: voterSecret }),
      // As main.ts has it.
      ...(opened.kind === 'postgres' ? ON_A_DATABASE_SERVER : {}),
    },
  );
  platforms.slack = slack;
  await slack.start(app.handle);
  dispatcher.start();
  const port = slack.port as number;
  try {
    // Commands come from this thread: they are set-up, not measured.
    const driver = slackDriver({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: input.signingSecret,
      teamId: fake.teamId,
      responseUrl: (id) => `${fake.origin}/respond/${encodeURIComponent(id)}`,
    });
    const openPoll = async (question: string) => {
      const before = (await fake.callsTo('chat.postMessage')).length;
      await driver.command(`poll "${question}" "Monday" "Tuesday" "Wednesday"`, {
        userId: input.coordinator,
      });
      await slack.settled();
      // Posted by the dispatcher's tick rather than by the flush after the command, when the tick
      // had claimed the message first: then it is sent a moment after the command is settled.
      const posted = await until(
        async () => (await fake.callsTo('chat.postMessage'))[before],
        'the poll to be posted',
        10_000,
      ).catch(() => undefined);
      const code = /Poll (P\w+)/.exec(String(posted?.body.text))?.[1];
      if (!posted || !code) throw new Error(`no poll was posted: ${JSON.stringify(posted?.answer)}`);
      return { code, ts: (posted.answer as { ts: string }).ts };
    };
    await driver.command('setup', { userId: input.coordinator });
    await slack.settled();

    // Warm up on a poll of its own, with members of its own.
    const warm = await openPoll('Warming up?');
    await input.send(
      port,
      Array.from({ length: input.warmUp }, (_, i) => ({
        userId: memberId('W', i),
        value: `${warm.code}:${i % 3}`,
        messageTs: warm.ts,
      })),
    );
    await slack.settled();

    const poll = await openPoll('Which day suits you?');
    const updatesBefore = (await fake.callsTo('chat.update')).length;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const arrived = new WeakMap<IncomingMessage, number>();
    const inApp: number[] = [];
    const onStart = (m: unknown) =>
      arrived.set((m as { request: IncomingMessage }).request, performance.now());
    const onFinish = (m: unknown) => {
      const at = arrived.get((m as { request: IncomingMessage }).request);
      if (at !== undefined) inApp.push(performance.now() - at);
    };
    subscribe('http.server.request.start', onStart);
    subscribe('http.server.response.finish', onFinish);
    const run = await input.send(
      port,
      Array.from({ length: input.clicks }, (_, i) => ({
        userId: memberId('M', i),
        value: `${poll.code}:${i % 3}`,
        messageTs: poll.ts,
      })),
    );
    await slack.settled();
    const handledMs = epochNow() - run.startedAt;
    loopDelay.disable();
    unsubscribe('http.server.request.start', onStart);
    unsubscribe('http.server.response.finish', onFinish);

    let cannon: CoproRun['cannon'];
    if (input.cannon) {
      const other = await openPoll('Which time suits you?');
      const stored = await allStored(opened, input.databaseUrl, other.code, input.clicks);
      const elu = performance.eventLoopUtilization();
      const result = await input.cannon(
        port,
        Array.from({ length: input.clicks }, (_, i) => ({
          userId: memberId('K', i),
          value: `${other.code}:${i % 3}`,
          messageTs: other.ts,
        })),
      );
      await slack.settled();
      // From autocannon's first request: starting its process is not copro's time.
      const handledAt = epochNow();
      const busyMs = performance.eventLoopUtilization(elu).active;
      const storedAt = await stored.storedAt;
      cannon = {
        result,
        handledMs: handledAt - result.startedAt,
        storedMs: storedAt - result.startedAt,
        busyMs,
      };
    }

    // Drain the outbox: stop the tick, then deliver what is left (waiting out our own rate limit).
    await dispatcher.stop();
    const pending = async () => {
      const [row] = await db
        .select({ n: count() })
        .from(schema.outbox)
        .where(and(eq(schema.outbox.status, 'pending'), eq(schema.outbox.platform, 'slack')));
      return row?.n ?? 0;
    };
    for (let round = 0; (await pending()) > 0; round++) {
      if (round > 120) throw new Error('the outbox did not drain within two minutes');
      await dispatcher.dispatchDue();
      if ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }

    const [pollRow] = await db.select().from(schema.polls).where(eq(schema.polls.code, poll.code));
    const [stored] = await db
      .select({ n: count() })
      .from(schema.pollVotes)
      .where(eq(schema.pollVotes.pollId, pollRow?.id ?? -1));
    const updates = (await fake.callsTo('chat.update'))
      .slice(updatesBefore)
      .filter((c) => c.body.ts === poll.ts);
    const last = String(updates.at(-1)?.body.text ?? '');
    return {
      run,
      handledMs,
      inApp,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      votesStored: stored?.n ?? 0,
      chatUpdates: updates.length,
      chatUpdatesRejected: updates.filter((c) => !(c.answer as { ok: boolean }).ok).length,
      lastUpdateShowsAllVotes: last.includes(`${input.clicks} people voted so far.`),
      cannon,
    };
  } finally {
    await dispatcher.stop();
    await slack.stop();
  }
}

/**
 * When the poll's votes reach `clicks`: counted every 10 ms from before the first click, by a
 * worker thread with a connection of its own (stored-watch.ts). Each vote is stored when it
 * commits; its voter's answer and the redrawn poll follow, so this ends before everything is
 * handled. NaN if they never do within 2 minutes, which shows as a rate of NaN and a missed target.
 */
async function allStored(opened: OpenedDb, databaseUrl: string | undefined, code: string, clicks: number) {
  if (!databaseUrl) throw new Error('votes stored are counted on a server database only');
  const [poll] = await opened.db
    .select({ id: schema.polls.id })
    .from(schema.polls)
    .where(eq(schema.polls.code, code));
  const watch = watchStored({ databaseUrl, pollId: poll?.id ?? -1, clicks });
  await watch.ready;
  return watch;
}
