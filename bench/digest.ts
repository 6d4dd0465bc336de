/**
 * The Monday-morning digest run, on the local Postgres server: 1,000 groups of 30 members, each
 * with a busy week behind it (bench/support/digest-week.ts: newcomers, roles, polls with votes,
 * meetings with agenda items and decisions, a buddy round, hours given, feedback closed).
 *
 * The digest's own sweep schedules each group's next digest, as it does before every scheduler
 * tick; then the clock moves past Monday 09:00 and the real scheduler runs the real digest.send
 * handler (from createApp, as main.ts wires it) for every group: compose the digest from every
 * feature's sections, queue it in the outbox, record it as sent, schedule next week's. That run is
 * what is measured, with a fixed clock:
 *
 * - composeAndQueueMs: wall time for all 1,000 digests to be composed and queued (target ≤ 10 s);
 * - queriesPerGroup: statements sent to the server during that run, BEGIN and COMMIT included,
 *   divided by the groups (target ≤ 5). A per-group query in any section multiplies by the
 *   groups, so this is what keeps the run short as copro grows, more than any one query's speed.
 *
 * Prints one JSON line. Creates and drops its own database. BENCH_DATABASE_URL overrides the
 * server; BENCH_GROUPS and BENCH_MEMBERS override the size.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { eq, like } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb, schema } from '../db/client.js';
import { createApp } from '../src/app.js';
import { fixedClock } from '../src/clock.js';
import { DIGEST_JOB, ensureDigestsScheduled } from '../src/digest/index.js';
import { createScheduler } from '../src/jobs/index.js';
import { silentLogger } from '../src/logger.js';
import { seedWeek } from './support/digest-week.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GROUPS = Number(process.env.BENCH_GROUPS ?? 1_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30);
const TARGET_MS = 10_000;
const TARGET_QUERIES_PER_GROUP = 5;

/** Monday 16 November 2026, 09:00 in London: the last digest went out then; the next is due a week on. */
const WEEK_START = new Date('2026-11-16T09:00:00Z');
const DUE = new Date('2026-11-23T09:00:00Z');

const name = `copro_bench_digest_${process.pid}`;
const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const url = new URL(SERVER);
url.pathname = `/${name}`;

try {
  let queries = 0;
  const opened = await openDb({
    databaseUrl: url.toString(),
    dataDir: '',
    maxConnections: 4,
    onQuery: () => queries++,
  });
  const { db } = opened;
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const setupStart = performance.now();
  await seedWeek(raw, { groups: GROUPS, membersPerGroup: MEMBERS, weekStart: WEEK_START });
  await raw.end();

  const clock = fixedClock(new Date(DUE.getTime() - 3_600_000));
  const logger = silentLogger();
  const app = createApp({ db, clock, logger, platforms: {} });
  await ensureDigestsScheduled(db, clock.now());
  const setupMs = performance.now() - setupStart;

  // Only the digest runs: the other features' jobs are not what is measured.
  const scheduler = createScheduler({
    db,
    clock,
    logger,
    handlers: { [DIGEST_JOB]: app.jobs[DIGEST_JOB]! },
  });
  clock.set(new Date(DUE.getTime() + 60_000));
  queries = 0;
  const started = performance.now();
  const summary = await scheduler.runDue({ limit: GROUPS * 2 });
  const composeAndQueueMs = performance.now() - started;
  const sent = queries;

  const queued = await db
    .select({ message: schema.outbox.message })
    .from(schema.outbox)
    .where(like(schema.outbox.purpose, 'digest:%'));
  const [first] = await db
    .select({ message: schema.outbox.message })
    .from(schema.outbox)
    .where(eq(schema.outbox.groupId, 1));
  const sections = (first?.message.blocks ?? []).filter((b) => b.type === 'heading').length - 1;
  // For comparing what the digests say before and after a change to how they are built.
  if (process.env.BENCH_DIGEST_DUMP)
    writeFileSync(
      process.env.BENCH_DIGEST_DUMP,
      queued
        .map((q) => q.message.text)
        .sort()
        .join('\n\f\n'),
    );
  await opened.close();

  const queriesPerGroup = sent / GROUPS;
  console.log(
    JSON.stringify({
      bench: 'digest',
      database: 'postgres (local server)',
      groups: GROUPS,
      membersPerGroup: MEMBERS,
      setupMs: Math.round(setupMs),
      composeAndQueueMs: Math.round(composeAndQueueMs),
      msPerGroup: Number((composeAndQueueMs / GROUPS).toFixed(2)),
      queries: sent,
      queriesPerGroup: Number(queriesPerGroup.toFixed(2)),
      jobsDone: summary.done,
      jobsFailed: summary.failed + summary.retrying,
      digestsQueued: queued.length,
      sectionsInFirstDigest: sections,
      composeAndQueueTargetMs: TARGET_MS,
      composeAndQueueTargetMet: composeAndQueueMs <= TARGET_MS,
      queriesPerGroupTarget: TARGET_QUERIES_PER_GROUP,
      queriesPerGroupTargetMet: queriesPerGroup <= TARGET_QUERIES_PER_GROUP,
    }),
  );
  if (queued.length !== GROUPS) process.exitCode = 1;
} finally {
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
