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
 * The sender above is a thread of the bench's own process. The same burst is also sent by
 * autocannon from a process of its own (bench/support/cannon.ts), at bare Bolt and then at copro
 * on a second poll with other members, and reported beside it as cannon*: on two cores the two
 * senders load the machine differently, so both are shown. Its rates run from its first request
 * to its last answer (autocannon's own duration ends at a whole second); from that first request
 * it reports votes stored (to the last vote committed, counted in the table every 10 ms from a
 * thread of its own) and
 * clicks handled (to the last answer sent). With it comes the work each click costs the app's main
 * thread (its busy time over the burst, a click), for copro and for bare Bolt: on a machine whose
 * speed changes from run to run, that varies far less than rates do.
 *
 * Then the same on the embedded database (PGlite), which serves one connection: 200 clicks all at
 * once, each of which must be acknowledged within a second (Slack gives up after three).
 *
 * Prints one JSON line. Creates and drops its own database. BENCH_DATABASE_URL overrides the server;
 * BENCH_CLICKS and BENCH_CONCURRENCY override the load.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { App, LogLevel } from '@slack/bolt';
import postgres from 'postgres';
import { openDb } from '../db/client.js';
import { createLogger } from '../src/logger.js';
import { type CoproRun, coproVotes } from './support/copro-votes.js';
import {
  burstFromCannon,
  burstInWorker,
  type Click,
  memberId,
  startFakeInWorker,
} from './support/slack-side.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
/** On PGlite: this many clicks at once, each to be acknowledged within PGLITE_ACK_WITHIN_MS. */
const PGLITE_CLICKS = 200;
const PGLITE_ACK_WITHIN_MS = 1_000;
const WARM_UP = 50;
const SIGNING_SECRET = 'bench-signing-secret';
const COORDINATOR = 'UCOORD';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const sorted = (some: readonly number[]) => [...some].sort((a, b) => a - b);
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
  const pgliteDir = mkdtempSync(join(tmpdir(), 'copro-bench-votes-'));
  let closeFake: (() => Promise<void>) | undefined;
  try {
    // Every member who clicks is a user the fake's users.info knows.
    const fake = await startFakeInWorker([
      { id: COORDINATOR, name: 'coordinator', isAdmin: true },
      ...Array.from({ length: CLICKS }, (_, i) => ({ id: memberId('M', i), name: `member${i}` })),
      ...Array.from({ length: CLICKS }, (_, i) => ({ id: memberId('K', i), name: `member${CLICKS + i}` })),
      ...Array.from({ length: WARM_UP }, (_, i) => ({ id: memberId('W', i), name: `warm${i}` })),
    ]);
    closeFake = fake.close;
    /** A burst of clicks at the app on `port`, sent from a worker thread. */
    const spec = (port: number, concurrency: number, clicks: Click[]) => ({
      url: `http://127.0.0.1:${port}/slack/events`,
      teamId: fake.teamId,
      fakeOrigin: fake.origin,
      signingSecret: SIGNING_SECRET,
      concurrency,
      clicks,
    });
    const clicksAt = (concurrency: number) => (port: number, clicks: Click[]) =>
      burstInWorker(spec(port, concurrency, clicks));
    /** The same burst from autocannon, in a process of its own. */
    const cannonAt = (port: number, clicks: Click[]) => burstFromCannon(spec(port, CONCURRENCY, clicks));

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
    const bareClicks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        userId: memberId('M', i),
        value: `PBARE:${i % 3}`,
        messageTs: '1.000001',
      }));
    await clicksAt(CONCURRENCY)(barePort, bareClicks(WARM_UP * 4));
    const bareRun = await clicksAt(CONCURRENCY)(barePort, bareClicks(CLICKS));
    const bareElu = performance.eventLoopUtilization();
    const bareCannon = await cannonAt(barePort, bareClicks(CLICKS));
    const bareBusyMs = performance.eventLoopUtilization(bareElu).active;
    await bare.stop();

    const common = { fake, logger, signingSecret: SIGNING_SECRET, coordinator: COORDINATOR, warmUp: WARM_UP };
    // 2. copro on the server database.
    const server = await openDb({ databaseUrl: url.toString(), dataDir: '', maxConnections: 10 });
    let onServer: CoproRun;
    try {
      onServer = await coproVotes({
        ...common,
        opened: server,
        databaseUrl: url.toString(),
        clicks: CLICKS,
        send: clicksAt(CONCURRENCY),
        cannon: cannonAt,
      });
    } finally {
      await server.close();
    }
    // 3. copro on PGlite: every click at once.
    const embedded = await openDb({ dataDir: pgliteDir });
    let onPglite: CoproRun;
    try {
      onPglite = await coproVotes({
        ...common,
        opened: embedded,
        clicks: PGLITE_CLICKS,
        send: clicksAt(PGLITE_CLICKS),
      });
    } finally {
      await embedded.close();
    }

    const { run, cannon } = onServer;
    const acks = sorted(run.latencies);
    const bareAcks = sorted(bareRun.latencies);
    const inApp = sorted(onServer.inApp);
    const pgliteAcks = sorted(onPglite.run.latencies);
    // The work behind the acks piles up during the burst: compare the first clicks with the last.
    const p50Of = (some: number[]) => ms(percentile(sorted(some), 50));
    const bareRate = (CLICKS * 1000) / (bareRun.endedAt - bareRun.startedAt);
    const ackRate = (CLICKS * 1000) / (run.endedAt - run.startedAt);
    const handledRate = (CLICKS * 1000) / onServer.handledMs;
    console.log(
      JSON.stringify({
        bench: 'poll-votes',
        database: 'postgres (local server)',
        clicks: CLICKS,
        concurrency: CONCURRENCY,
        ackP50Ms: ms(percentile(acks, 50)),
        ackP99Ms: ms(percentile(acks, 99)),
        ackMaxMs: ms(acks.at(-1) ?? Number.NaN),
        ackP50MsFirst100Sent: p50Of(run.latencies.slice(0, 100)),
        ackP50MsLast100Sent: p50Of(run.latencies.slice(-100)),
        non200: run.failed,
        votesStored: onServer.votesStored,
        chatUpdates: onServer.chatUpdates,
        chatUpdatesRejected: onServer.chatUpdatesRejected,
        lastUpdateShowsAllVotes: onServer.lastUpdateShowsAllVotes,
        clicksPerSecAcked: Math.round(ackRate),
        clicksPerSecHandled: Math.round(handledRate),
        bareBoltClicksPerSec: Math.round(bareRate),
        bareBoltAckP50Ms: ms(percentile(bareAcks, 50)),
        bareBoltAckP99Ms: ms(percentile(bareAcks, 99)),
        bareBoltAckMaxMs: ms(bareAcks.at(-1) ?? Number.NaN),
        ackP99VsBareBolt: ratio(percentile(acks, 99) / percentile(bareAcks, 99)),
        ackedVsBareBolt: ratio(ackRate / bareRate),
        handledVsBareBolt: ratio(handledRate / bareRate),
        eventLoopDelayP99Ms: ms(onServer.loopDelayP99Ms),
        eventLoopDelayMaxMs: ms(onServer.loopDelayMaxMs),
        inAppAckP50Ms: ms(percentile(inApp, 50)),
        inAppAckP99Ms: ms(percentile(inApp, 99)),
        inAppAckMaxMs: ms(inApp.at(-1) ?? Number.NaN),
        // The same measures with autocannon sending from a process of its own.
        cannonAckP50Ms: ms(cannon?.result.p50Ms ?? Number.NaN),
        cannonAckP99Ms: ms(cannon?.result.p99Ms ?? Number.NaN),
        cannonAckMaxMs: ms(cannon?.result.maxMs ?? Number.NaN),
        cannonClicksPerSecAcked: Math.round(cannon?.result.perSecond ?? Number.NaN),
        cannonClicksPerSecHandled: Math.round(cannon ? (CLICKS * 1000) / cannon.handledMs : Number.NaN),
        cannonVotesPerSecStored: Math.round(cannon ? (CLICKS * 1000) / cannon.storedMs : Number.NaN),
        cannonStoredVsBareBolt: ratio(
          cannon ? (CLICKS * 1000) / cannon.storedMs / bareCannon.perSecond : Number.NaN,
        ),
        cannonNon2xx: (cannon?.result.non2xx ?? 0) + (cannon?.result.errors ?? 0),
        // The app's main thread: busy ms a click, to acknowledge it (bare Bolt) and to handle it
        // (copro). A measure of work rather than of speed, so it varies less between machines.
        cannonBusyMsPerClick: ms(cannon ? cannon.busyMs / CLICKS : Number.NaN),
        cannonBareBoltBusyMsPerClick: ms(bareBusyMs / CLICKS),
        cannonBareBoltAckP99Ms: ms(bareCannon.p99Ms),
        cannonBareBoltClicksPerSec: Math.round(bareCannon.perSecond),
        cannonAckP99VsBareBolt: ratio((cannon?.result.p99Ms ?? Number.NaN) / bareCannon.p99Ms),
        cannonAckedVsBareBolt: ratio((cannon?.result.perSecond ?? Number.NaN) / bareCannon.perSecond),
        cannonHandledVsBareBolt: ratio(
          cannon ? (CLICKS * 1000) / cannon.handledMs / bareCannon.perSecond : Number.NaN,
        ),
        pgliteClicksAtOnce: PGLITE_CLICKS,
        pgliteAckP99Ms: ms(percentile(pgliteAcks, 99)),
        pgliteAckMaxMs: ms(pgliteAcks.at(-1) ?? Number.NaN),
        pgliteAllAckedWithin1s:
          onPglite.run.failed === 0 &&
          (pgliteAcks.at(-1) ?? Number.POSITIVE_INFINITY) <= PGLITE_ACK_WITHIN_MS,
        pgliteVotesStored: onPglite.votesStored,
        pgliteLastUpdateShowsAllVotes: onPglite.lastUpdateShowsAllVotes,
        // The targets, judged for each sender against bare Bolt measured by that same sender.
        targets: {
          ackP99AtMost1_5xBareBolt: percentile(acks, 99) <= 1.5 * percentile(bareAcks, 99),
          ackedAtLeast0_8xBareBolt: ackRate >= 0.8 * bareRate,
          storedAtLeast0_5xBareBolt: handledRate >= 0.5 * bareRate,
          cannonAckP99AtMost1_5xBareBolt:
            (cannon?.result.p99Ms ?? Number.POSITIVE_INFINITY) <= 1.5 * bareCannon.p99Ms,
          cannonAckedAtLeast0_8xBareBolt: (cannon?.result.perSecond ?? 0) >= 0.8 * bareCannon.perSecond,
          cannonStoredAtLeast0_5xBareBolt: cannon
            ? (CLICKS * 1000) / cannon.storedMs >= 0.5 * bareCannon.perSecond
            : false,
          pglite200AckedWithin1s: (pgliteAcks.at(-1) ?? Number.POSITIVE_INFINITY) <= PGLITE_ACK_WITHIN_MS,
        },
        warningsLogged: warnings,
      }),
    );
    if (onServer.votesStored !== CLICKS || onPglite.votesStored !== PGLITE_CLICKS) process.exitCode = 1;
  } finally {
    await closeFake?.();
    rmSync(pgliteDir, { recursive: true, force: true });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
