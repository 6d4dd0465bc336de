/**
 * The memory half of bench/footprint.ts, in a process of its own (compiled, as `npm start` runs
 * copro), so that what is measured is copro and its database, not the benchmark's own tools.
 * Opens the PGlite data folder given in COPRO_DATA_DIR (or the server in DATABASE_URL), sets up a
 * group, writes 10,000 members into it, hands 1,000 events to createApp().handle, and prints one
 * JSON line of figures.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eq, sql } from 'drizzle-orm';
import { openDb, schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, InboundEvent } from '../../src/chat/index.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { clicked, person, typed } from '../../test/support/events.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const COMMANDS = ['roles', 'polls', 'meetings', 'digest preview', 'profile', 'help'];

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
const rssMb = () => mb(process.memoryUsage().rss);

/** A full garbage collection, so that what is left is what copro holds, not what it has let go. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A member of the big group, as the terminal chat would describe them. */
const member = (i: number): Actor => person(`Member${i}`, { userId: `m${i}`, displayName: `Member ${i}` });

/** A fixed mix: a quarter people joining, half votes, the rest typed commands and home views. */
function eventFor(i: number, pollCode: string): InboundEvent {
  const slot = i % 20;
  if (slot < 5)
    return { kind: 'memberJoined', id: randomUUID(), actor: person(`Newcomer${i}`), channelId: 'general' };
  if (slot < 15) return clicked(member(i), 'poll.vote-listed', `${pollCode}:${i % 3}`).event;
  if (slot < 19) return typed(member(i), COMMANDS[i % COMMANDS.length]!).event;
  return { kind: 'homeOpened', id: randomUUID(), actor: member(i), show: async () => {} };
}
const votesExpected = Array.from({ length: EVENTS }, (_, i) => i % 20).filter((s) => s >= 5 && s < 15).length;

const atStart = rssMb();
const dataDir = process.env.COPRO_DATA_DIR;
if (!dataDir) throw new Error('COPRO_DATA_DIR must name the data folder to run on');
const opened = await openDb({ dataDir, databaseUrl: process.env.DATABASE_URL });
const { db } = opened;
// Counts what the app logs at error or above: a clean run logs nothing.
let errors = 0;
const logger = createLogger(
  'error',
  new Writable({
    write(chunk, _encoding, done) {
      errors++;
      if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
      done();
    },
  }),
);
const app = createApp({ db, clock: systemClock, logger, platforms: {} });
const coordinator = person('Coordinator');
await app.handle(typed(coordinator, 'setup --name "A big group"').event);
await app.handle(typed(coordinator, 'poll "Which day suits you?" "Monday" "Tuesday" "Wednesday"').event);
const [group] = await db.select().from(schema.groups);
const [poll] = await db.select().from(schema.polls);
if (!group || !poll) throw new Error('the group or its poll was not made');
const beforeLoad = rssMb();

// Joining 10,000 people one by one is not what is measured: they are written straight in.
await db.execute(sql`insert into members (platform, workspace_id, user_id, display_name)
  select 'console', 'local', 'm' || i, 'Member ' || i from generate_series(0, ${MEMBERS - 1}) i`);
await db.execute(sql`insert into group_members (group_id, member_id, joined_at)
  select ${group.id}, id, now() - interval '30 days' from members where user_id like 'm%'`);
await db.execute(sql`insert into role_assignments (group_id, member_id, role_key, assigned_at)
  select ${group.id}, id, 'member', now() - interval '30 days' from members where user_id like 'm%'`);
const afterLoad = rssMb();

const started = performance.now();
const cpuBefore = process.cpuUsage();
for (let i = 0; i < EVENTS; i++) await app.handle(eventFor(i, poll.code));
const eventsMs = performance.now() - started;
// CPU time, unlike the time on the clock, does not grow with what else the machine is running.
const cpu = process.cpuUsage(cpuBefore);
const [votes] = await db
  .select({ n: sql<number>`count(*)::int` })
  .from(schema.pollVotes)
  .where(eq(schema.pollVotes.pollId, poll.id));
const usage = process.memoryUsage();
collectGarbage();
const settled = process.memoryUsage();
await opened.close();
console.log(
  JSON.stringify({
    rssAtStartMb: atStart,
    rssBeforeLoadMb: beforeLoad,
    rssAfterLoadMb: afterLoad,
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external + usage.arrayBuffers),
    rssAfterGcMb: mb(settled.rss),
    heapUsedAfterGcMb: mb(settled.heapUsed),
    rssPeakMb: mb(process.resourceUsage().maxRSS * 1024),
    eventsMs: Math.round(eventsMs),
    eventsCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    errorsLogged: errors,
    votesStored: votes?.n ?? 0,
    votesExpected,
  }),
);
