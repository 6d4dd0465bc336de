/**
 * A burst of poll votes through the real Slack HTTP endpoint, on the local Postgres server.
 *
 * The real Bolt app (copro's Slack adapter, HTTP mode, port 0), the real core and the outbox
 * dispatcher (wired as main.ts wires them: Slack's rate limits, a tick every second), against the
 * fake Slack Web API. One group, one poll, then 1,000 signed block_actions clicks, each from a
 * different member, 50 in flight at a time, built and signed by the same driver the tests use.
 *
 * Reports ack latency (the HTTP response time each click saw), votes stored (counted in the
 * table), chat.update calls the fake received once the outbox is drained, and throughput beside a
 * bare Bolt app that only acks (same fake, same driver, same concurrency) measured in this run:
 * clicks acked per second, and clicks handled (vote stored) per second, since copro acks first
 * and records the vote after. The sender and the fake each run in a worker thread of their own,
 * as Slack is another machine; the app's event-loop delay during the burst is reported too, and
 * the app's own share of each ack (from the request reaching its HTTP server to the response
 * sent), which separates copro's time from the sender's on a machine with few cores.
 *
 * Prints one JSON line. Creates and drops its own database. BENCH_DATABASE_URL overrides the server;
 * BENCH_CLICKS and BENCH_CONCURRENCY override the load.
 */

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { and, count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { createSlackPlatform } from '../adapters/slack/index.js';
import { openDb, schema } from '../db/client.js';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import type { AppDeps } from '../src/deps.js';
import { createInbox } from '../src/inbox.js';
import { createDispatcher } from '../src/jobs/index.js';
import { createLogger } from '../src/logger.js';
import { type FakeSlackCall, type FakeSlackUser, startFakeSlack } from '../test/support/fake-slack.js';
import { slackDriver } from '../test/support/slack-driver.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WARM_UP = 50;
const SIGNING_SECRET = 'bench-signing-secret';
const COORDINATOR = 'UCOORD';

const memberId = (tag: string, i: number) => `U${tag}${String(i).padStart(5, '0')}`;

interface Click {
  readonly userId: string;
  readonly value: string;
  readonly messageTs: string;
}

interface BurstSpec {
  readonly url: string;
  readonly teamId: string;
  readonly fakeOrigin: string;
  readonly concurrency: number;
  readonly clicks: readonly Click[];
}

interface BurstResult {
  /** Response time of each click, ms, in the order the clicks were sent. */
  readonly latencies: number[];
  /** When the first click was sent and the last answer came, as epoch ms (comparable across threads). */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly failed: number;
}

const epochNow = () => performance.timeOrigin + performance.now();

/** The sender: signs and posts the clicks, `concurrency` at a time, with the tests' driver. */
async function burst(spec: BurstSpec): Promise<BurstResult> {
  const driver = slackDriver({
    url: spec.url,
    signingSecret: SIGNING_SECRET,
    teamId: spec.teamId,
    responseUrl: (id) => `${spec.fakeOrigin}/respond/${encodeURIComponent(id)}`,
  });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const startedAt = epochNow();
  const worker = async () => {
    for (let i = next++; i < spec.clicks.length; i = next++) {
      const c = spec.clicks[i] as Click;
      const sent = performance.now();
      const { response } = await driver.click({
        user: { id: c.userId, name: c.userId.toLowerCase() },
        actionId: 'poll.vote',
        value: c.value,
        messageTs: c.messageTs,
      });
      latencies[i] = performance.now() - sent;
      if (response.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  return { latencies, startedAt, endedAt: epochNow(), failed };
}

type WorkerJob =
  | { readonly role: 'sender'; readonly spec: BurstSpec }
  | { readonly role: 'fake'; readonly users: FakeSlackUser[] };

/** This file again, in a worker thread. A worker does not inherit tsx's loader: it registers it first. */
function workerFor(job: WorkerJob): Worker {
  const source = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
    register();
    return import(${JSON.stringify(import.meta.url)});
  });`;
  return new Worker(source, { eval: true, workerData: job });
}

/**
 * Runs a burst in a worker thread: Slack is another machine, so the sender must not share the
 * app's event loop (its own work would otherwise count as the app's latency).
 */
function burstInWorker(spec: BurstSpec): Promise<BurstResult> {
  return new Promise((resolve, reject) => {
    const worker = workerFor({ role: 'sender', spec });
    worker.once('message', (result: BurstResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

interface FakeInfo {
  readonly apiUrl: string;
  readonly origin: string;
  readonly botToken: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly teamId: string;
}

/** The fake Slack Web API in a worker thread of its own, for the same reason. */
async function startFakeInWorker(users: FakeSlackUser[]) {
  const worker = workerFor({ role: 'fake', users });
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  worker.on('message', ({ id, result }: { id: number; result: unknown }) => {
    waiting.get(id)?.(result);
    waiting.delete(id);
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const ask = (message: { ask: 'calls' | 'close'; method?: string }) =>
    Promise.race([
      failed,
      new Promise<unknown>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        worker.postMessage({ ...message, id });
      }),
    ]);
  const info = (await Promise.race([failed, new Promise((resolve) => waiting.set(0, resolve))])) as FakeInfo;
  return {
    ...info,
    callsTo: (method: string) => ask({ ask: 'calls', method }) as Promise<FakeSlackCall[]>,
    close: async () => {
      await ask({ ask: 'close' });
      await worker.terminate();
    },
  };
}

async function serveFake(users: FakeSlackUser[]): Promise<void> {
  const fake = await startFakeSlack({ users });
  const port = parentPort as MessagePort;
  port.on('message', async ({ id, ask, method }: { id: number; ask: 'calls' | 'close'; method?: string }) => {
    if (ask === 'calls') port.postMessage({ id, result: fake.callsTo(method ?? '') });
    else {
      await fake.close();
      port.postMessage({ id, result: null });
    }
  });
  const { apiUrl, origin, botToken, botId, botUserId, teamId } = fake;
  port.postMessage({ id: 0, result: { apiUrl, origin, botToken, botId, botUserId, teamId } });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (n: number) => Number(n.toFixed(2));
const ratio = (n: number) => Number(n.toFixed(3));

async function main(): Promise<void> {
  /** Counts what the app logs at warn or above: a clean run logs nothing. */
  let warnings = 0;
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk, _encoding, done) {
        warnings++;
        if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
        done();
      },
    }),
  );

  const name = `copro_bench_polls_${process.pid}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  let closeFake: (() => Promise<void>) | undefined;
  try {
    // Every member who clicks is a user the fake's users.info knows.
    const fake = await startFakeInWorker([
      { id: COORDINATOR, name: 'coordinator', isAdmin: true },
      ...Array.from({ length: CLICKS }, (_, i) => ({ id: memberId('M', i), name: `member${i}` })),
      ...Array.from({ length: WARM_UP }, (_, i) => ({ id: memberId('W', i), name: `warm${i}` })),
    ]);
    closeFake = fake.close;
    /** A burst of clicks at the app on `port`, sent from a worker thread. */
    const clicksAt = (port: number, clicks: Click[]) =>
      burstInWorker({
        url: `http://127.0.0.1:${port}/slack/events`,
        teamId: fake.teamId,
        fakeOrigin: fake.origin,
        concurrency: CONCURRENCY,
        clicks,
      });
    const clicks = (count: number, click: (i: number) => Click) =>
      Array.from({ length: count }, (_, i) => click(i));

    // 1. The bare Bolt app: the same HTTP receiver, a block_actions listener that only acks.
    const bare = new App({
      token: fake.botToken,
      signingSecret: SIGNING_SECRET,
      botId: fake.botId,
      botUserId: fake.botUserId,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    bare.action({ type: 'block_actions' }, async ({ ack }) => {
      await ack();
    });
    const bareServer = (await bare.start({ port: 0, host: '127.0.0.1' })) as Server;
    const barePort = (bareServer.address() as AddressInfo).port;
    const bareClick = (i: number) => ({
      userId: memberId('M', i),
      value: `PBARE:${i % 3}`,
      messageTs: '1.000001',
    });
    await clicksAt(barePort, clicks(WARM_UP * 4, bareClick));
    const bareRun = await clicksAt(barePort, clicks(CLICKS, bareClick));
    await bare.stop();

    // 2. copro: the real adapter, core and dispatcher on the server database.
    const opened = await openDb({ databaseUrl: url.toString(), dataDir: '', maxConnections: 10 });
    const { db } = opened;
    const platforms: AppDeps['platforms'] = {};
    const dispatcher = createDispatcher({ db, clock: systemClock, logger, platforms });
    const deps: AppDeps = {
      db,
      clock: systemClock,
      logger,
      platforms,
      outbox: { flush: () => dispatcher.dispatchDue() },
    };
    const app = createApp(deps);
    const slack = createSlackPlatform(
      {
        botToken: fake.botToken,
        signingSecret: SIGNING_SECRET,
        apiUrl: fake.apiUrl,
        port: 0,
        host: '127.0.0.1',
      },
      { logger, health: opened.ping, inbox: createInbox(db) },
    );
    platforms.slack = slack;
    await slack.start(app.handle);
    dispatcher.start();
    const port = slack.port as number;
    // Commands come from this thread: they are set-up, not measured.
    const driver = slackDriver({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      teamId: fake.teamId,
      responseUrl: (id) => `${fake.origin}/respond/${encodeURIComponent(id)}`,
    });

    const openPoll = async (question: string) => {
      const before = (await fake.callsTo('chat.postMessage')).length;
      await driver.command(`poll "${question}" "Monday" "Tuesday" "Wednesday"`, { userId: COORDINATOR });
      await slack.settled();
      const posted = (await fake.callsTo('chat.postMessage'))[before];
      const code = /Poll (P\w+)/.exec(String(posted?.body.text))?.[1];
      if (!posted || !code) throw new Error(`no poll was posted: ${JSON.stringify(posted?.answer)}`);
      return { code, ts: (posted.answer as { ts: string }).ts };
    };
    await driver.command('setup', { userId: COORDINATOR });
    await slack.settled();

    // Warm up on a poll of its own, with members of its own.
    const warm = await openPoll('Warming up?');
    await clicksAt(
      port,
      clicks(WARM_UP, (i) => ({
        userId: memberId('W', i),
        value: `${warm.code}:${i % 3}`,
        messageTs: warm.ts,
      })),
    );
    await slack.settled();

    const poll = await openPoll('Which day suits you?');
    const updatesBefore = (await fake.callsTo('chat.update')).length;
    // How long the app's event loop was held up during the run.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    // The app's own share of each ack: from the request reaching the app to the response sent.
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
    const run = await clicksAt(
      port,
      clicks(CLICKS, (i) => ({
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
      .where(eq(schema.pollVotes.pollId, pollRow!.id));
    const updates = (await fake.callsTo('chat.update'))
      .slice(updatesBefore)
      .filter((c) => c.body.ts === poll.ts);
    const rejected = updates.filter((c) => !(c.answer as { ok: boolean }).ok).length;
    const last = String(updates.at(-1)?.body.text ?? '');

    await slack.stop();
    await opened.close();

    const sorted = [...run.latencies].sort((a, b) => a - b);
    const bareSorted = [...bareRun.latencies].sort((a, b) => a - b);
    const inAppSorted = [...inApp].sort((a, b) => a - b);
    // The work behind the acks piles up during the burst: compare the first clicks with the last.
    const p50Of = (some: number[]) =>
      ms(
        percentile(
          [...some].sort((a, b) => a - b),
          50,
        ),
      );
    const bareRate = (CLICKS * 1000) / (bareRun.endedAt - bareRun.startedAt);
    const ackRate = (CLICKS * 1000) / (run.endedAt - run.startedAt);
    const handledRate = (CLICKS * 1000) / handledMs;
    console.log(
      JSON.stringify({
        bench: 'poll-votes',
        database: 'postgres (local server)',
        clicks: CLICKS,
        concurrency: CONCURRENCY,
        ackP50Ms: ms(percentile(sorted, 50)),
        ackP99Ms: ms(percentile(sorted, 99)),
        ackMaxMs: ms(sorted.at(-1) ?? Number.NaN),
        ackP50MsFirst100Sent: p50Of(run.latencies.slice(0, 100)),
        ackP50MsLast100Sent: p50Of(run.latencies.slice(-100)),
        non200: run.failed,
        votesStored: stored?.n ?? 0,
        chatUpdates: updates.length,
        chatUpdatesRejected: rejected,
        lastUpdateShowsAllVotes: last.includes(`${CLICKS} people voted so far.`),
        clicksPerSecAcked: Math.round(ackRate),
        clicksPerSecHandled: Math.round(handledRate),
        bareBoltClicksPerSec: Math.round(bareRate),
        bareBoltAckP50Ms: ms(percentile(bareSorted, 50)),
        bareBoltAckP99Ms: ms(percentile(bareSorted, 99)),
        bareBoltAckMaxMs: ms(bareSorted.at(-1) ?? Number.NaN),
        ackedVsBareBolt: ratio(ackRate / bareRate),
        handledVsBareBolt: ratio(handledRate / bareRate),
        eventLoopDelayP99Ms: ms(loopDelay.percentile(99) / 1e6),
        eventLoopDelayMaxMs: ms(loopDelay.max / 1e6),
        inAppAckP50Ms: ms(percentile(inAppSorted, 50)),
        inAppAckP99Ms: ms(percentile(inAppSorted, 99)),
        inAppAckMaxMs: ms(inAppSorted.at(-1) ?? Number.NaN),
        warningsLogged: warnings,
      }),
    );
    if ((stored?.n ?? 0) !== CLICKS) process.exitCode = 1;
  } finally {
    await closeFake?.();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

if (isMainThread)
  await main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
else {
  const job = workerData as WorkerJob;
  if (job.role === 'fake') await serveFake(job.users);
  else parentPort?.postMessage(await burst(job.spec));
}
