/**
 * Throughput of the durable job table and the outbox on the local Postgres server.
 *
 * - baseline: a bare `INSERT …` then `UPDATE …` round trip pair on one connection (and on four),
 *   the cheapest thing a job could possibly cost;
 * - jobs: claim (FOR UPDATE SKIP LOCKED) + run a no-op handler + mark done, one transaction per
 *   job, with 1 and with 4 concurrent workers;
 * - outbox: lease, deliver to a local fake platform with no rate limit, record the reference.
 *
 * Prints one JSON line. Creates and drops its own database. BENCH_DATABASE_URL overrides the server.
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { openDb, schema } from '../db/client.js';
import type { ChatPlatform } from '../src/chat/index.js';
import { systemClock } from '../src/clock.js';
import { createDispatcher, createScheduler, unlimited } from '../src/jobs/index.js';
import { silentLogger } from '../src/logger.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JOBS = Number(process.env.BENCH_JOBS ?? 4_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 4_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 4_000);

const name = `copro_bench_${process.pid}`;
const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const url = new URL(SERVER);
url.pathname = `/${name}`;

const round = (n: number) => Math.round(n);
const perSec = (count: number, ms: number) => (count * 1000) / ms;

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

try {
  const opened = await openDb({ databaseUrl: url.toString(), dataDir: '', maxConnections: 8 });
  const { db } = opened;
  const raw = postgres(url.toString(), { max: 4, onnotice: () => {} });
  await raw`create table bench_pairs (id bigint generated always as identity primary key, v int not null)`;

  // Baseline: INSERT then UPDATE, two round trips, PAIRS times.
  const pairs = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const [row] = await raw`insert into bench_pairs (v) values (1) returning id`;
      await raw`update bench_pairs set v = 2 where id = ${row!.id}`;
    }
  };
  await pairs(200); // warm up
  const baseline1 = perSec(PAIRS, await time(() => pairs(PAIRS)));
  const baseline4 = perSec(PAIRS, await time(() => Promise.all([0, 1, 2, 3].map(() => pairs(PAIRS / 4)))));

  // Jobs: claim + no-op + done, one transaction each.
  const past = new Date(Date.now() - 60_000);
  const addJobs = async (tag: string, count: number) => {
    for (let i = 0; i < count; i += 1_000) {
      const chunk = Array.from({ length: Math.min(1_000, count - i) }, (_, k) => ({
        kind: 'bench.noop',
        key: `${tag}:${i + k}`,
        runAt: past,
      }));
      await db.insert(schema.jobs).values(chunk);
    }
  };
  const handlers = { 'bench.noop': { run: async () => {} } };
  const scheduler = () => createScheduler({ db, clock: systemClock, logger: silentLogger(), handlers });
  await addJobs('warm', 200);
  await scheduler().runDue({ limit: 1_000 });

  await addJobs('one', JOBS);
  const oneWorker = scheduler();
  const jobs1 = perSec(JOBS, await time(() => oneWorker.runDue({ limit: JOBS + 1 })));

  await addJobs('four', JOBS);
  const workers = [scheduler(), scheduler(), scheduler(), scheduler()];
  let ran = 0;
  const jobs4ms = await time(async () => {
    const results = await Promise.all(workers.map((w) => w.runDue({ limit: JOBS + 1 })));
    ran = results.reduce((n, r) => n + r.done, 0);
  });
  if (ran !== JOBS) throw new Error(`4 workers ran ${ran} jobs, expected ${JOBS}`);
  const jobs4 = perSec(JOBS, jobs4ms);

  // Outbox: enqueue, then deliver to a platform that answers at once.
  let delivered = 0;
  const fake: ChatPlatform = {
    kind: 'console',
    limits: { sendRate: unlimited.console, buttonLabel: 80 },
    start: async () => {},
    stop: async () => {},
    post: async (to) => {
      delivered++;
      return {
        platform: 'console',
        channelId: to.kind === 'channel' ? to.channelId : 'dm',
        messageId: String(delivered),
      };
    },
    update: async () => {},
  };
  const now = new Date();
  for (let i = 0; i < MESSAGES; i += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, MESSAGES - i) }, (_, k) => ({
      purpose: `bench:${i + k}`,
      recipient: `console::channel:C${(i + k) % 50}`,
      platform: 'console' as const,
      destination: { kind: 'channel' as const, channelId: `C${(i + k) % 50}` },
      message: { text: `message ${i + k}` },
      nextAttemptAt: now,
    }));
    await db.insert(schema.outbox).values(chunk);
  }
  const dispatcher = createDispatcher({
    db,
    clock: systemClock,
    logger: silentLogger(),
    platforms: { console: fake },
    limits: unlimited,
    batchSize: 50,
  });
  const outboxMs = await time(() => dispatcher.dispatchDue());
  if (delivered !== MESSAGES) throw new Error(`delivered ${delivered} messages, expected ${MESSAGES}`);
  const outbox = perSec(MESSAGES, outboxMs);

  await raw.end();
  await opened.close();
  console.log(
    JSON.stringify({
      bench: 'jobs',
      database: 'postgres (local server)',
      jobs: JOBS,
      messages: MESSAGES,
      baselineInsertUpdatePerSec: round(baseline1),
      baselineInsertUpdatePerSec4Connections: round(baseline4),
      jobsPerSec1Worker: round(jobs1),
      jobsPerSec4Workers: round(jobs4),
      jobs1WorkerVsBaseline: Number((jobs1 / baseline1).toFixed(3)),
      jobs4WorkersVsBaseline: Number((jobs4 / baseline1).toFixed(3)),
      jobs4WorkersVsBaseline4Connections: Number((jobs4 / baseline4).toFixed(3)),
      outboxMessagesPerSec: round(outbox),
      outboxVsBaseline: Number((outbox / baseline1).toFixed(3)),
    }),
  );
} finally {
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
