/**
 * How much memory copro holds, and how long `npm start` takes to be ready, on a small host.
 *
 * (a) Memory on the embedded database (PGlite, in a data folder as `npm start` uses by default),
 *     in a process of its own run as `npm start` runs copro (compiled, with the same Node flags;
 *     bench/support/footprint-load.ts): the resident set (RSS) at start, once the database is open
 *     and a group set up, after 10,000 members are written into the group, and after 1,000 events
 *     have gone through createApp().handle the way every platform hands them in: people joining,
 *     votes on a poll, typed commands (roles, polls, meetings, the digest preview...) and home
 *     views. RSS is what a host's memory limit counts, so it is held to the target (150 MB); the
 *     JavaScript heap is reported beside it, to tell copro's own objects from the database engine
 *     and the code. The same again on the local Postgres server (the fields ending in Server).
 * (b) Start-up: from spawning `npm start` (which first brings the compiled code up to date, as
 *     `npm run build` does, then runs it) to /healthz answering 200, in Slack HTTP mode against a
 *     fake Slack Web API (the health check is served on Slack's port): on PGlite in an empty
 *     folder (the first start makes the database), again on that folder, and on a new database on
 *     the local Postgres server; with the RSS of the started process once it is serving.
 *
 * The code is built before anything is timed, as `npm ci` leaves it. The data folder made by the
 * first start is the one (a) then runs on, as any later start would (making a database takes far
 * more memory, once, than running on one).
 *
 * Prints one JSON line. Creates and drops its own server database. BENCH_DATABASE_URL overrides
 * the server; BENCH_MEMBERS and BENCH_EVENTS override the load.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { freePort, until } from '../test/support/slack-process.js';
import { buildCompiled, startEnv, startFlags } from '../test/support/start-command.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_RSS_MB = 150;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
/** A process's resident set now, from Linux's /proc (undefined elsewhere). */
function rssOf(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number((Number(kb) / 1024).toFixed(1));
  } catch {
    return undefined;
  }
}

/** The processes started under `pid`, children first, from Linux's /proc. */
function descendantsOf(pid: number): number[] {
  const parentOf = (p: string) => {
    try {
      return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    } catch {
      return undefined;
    }
  };
  const children = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && parentOf(p) === pid)
    .map(Number);
  return children.flatMap((c) => [c, ...descendantsOf(c)]);
}

/**
 * `npm start` to /healthz 200, in ms; and a second after it began serving, the RSS of copro's
 * process and of everything `npm start` runs (npm itself included), as a host counts it.
 */
async function startUp(env: Record<string, string>) {
  const fake = await startFakeSlack();
  const port = await freePort();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  npm.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = once(npm, 'exit');
  const isNode = (p: number) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node';
  // copro's own process: the last node process under npm (npm runs it through a shell).
  const coproPid = () =>
    descendantsOf(npm.pid as number)
      .filter(isNode)
      .at(-1);
  try {
    const started = performance.now();
    await until(
      async () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}\n${stderr}`);
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.status === 200;
      },
      'npm start to serve /healthz',
      120_000,
    );
    const ms = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const tree = [npm.pid as number, ...descendantsOf(npm.pid as number)];
    const treeMb = tree.reduce((sum, p) => sum + (rssOf(p) ?? 0), 0);
    return { ms, rssMb: rssOf(coproPid()), treeMb: Number(treeMb.toFixed(1)) };
  } finally {
    // Stopped as a supervisor would, and waited for: the next start opens the same data folder.
    const pid = coproPid();
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
    else npm.kill('SIGTERM');
    await exited;
    await fake.close();
  }
}

/** The memory half, in a process of its own, compiled as `npm start` runs copro. */
async function memory(env: Record<string, string>): Promise<Record<string, number>> {
  const child = spawn(
    process.execPath,
    [...startFlags, join(root, 'dist', 'bench', 'support', 'footprint-load.js')],
    {
      env: { ...process.env, ...startEnv, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the memory run failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

// As `npm ci` leaves a clone: built, so that the starts below time what every later start does.
buildCompiled();
const scratch = mkdtempSync(join(tmpdir(), 'copro-bench-footprint-'));
const name = `copro_bench_footprint_${process.pid}`;
const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
try {
  const dataDir = join(scratch, 'data');
  const first = await startUp({ COPRO_DATA_DIR: dataDir });
  const again = await startUp({ COPRO_DATA_DIR: dataDir });
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const server = await startUp({ DATABASE_URL: url.toString(), COPRO_DATA_DIR: join(scratch, 'unused') });
  const mem = await memory({ COPRO_DATA_DIR: dataDir });
  const onServer = await memory({ DATABASE_URL: url.toString(), COPRO_DATA_DIR: join(scratch, 'unused') });
  console.log(
    JSON.stringify({
      bench: 'footprint',
      members: Number(process.env.BENCH_MEMBERS ?? 10_000),
      events: Number(process.env.BENCH_EVENTS ?? 1_000),
      ...mem,
      rssTargetMb: TARGET_RSS_MB,
      rssTargetMet: (mem.rssMb ?? Number.POSITIVE_INFINITY) <= TARGET_RSS_MB,
      startMsPglite: first.ms,
      startMsPgliteAgain: again.ms,
      startMsServer: server.ms,
      serving: 'npm start, Slack HTTP mode, fake Slack Web API',
      nodeFlags: startFlags.join(' '),
      nodeEnv: Object.entries(startEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      rssServingMbPglite: again.rssMb,
      rssServingMbServer: server.rssMb,
      rssServingNpmStartMbPglite: again.treeMb,
      rssServingNpmStartMbServer: server.treeMb,
      rssMbServer: onServer.rssMb,
      rssTargetMetServer: (onServer.rssMb ?? Number.POSITIVE_INFINITY) <= TARGET_RSS_MB,
      rssAfterGcMbServer: onServer.rssAfterGcMb,
      rssPeakMbServer: onServer.rssPeakMb,
      heapUsedMbServer: onServer.heapUsedMb,
      eventsMsServer: onServer.eventsMs,
    }),
  );
  const clean = (run: Record<string, number>) =>
    run.errorsLogged === 0 && run.votesStored === run.votesExpected;
  if (!clean(mem) || !clean(onServer)) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
