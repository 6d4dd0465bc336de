/**
 * The two sides of the poll-votes bench that stand in for Slack, each in a worker thread of its own
 * (Slack is another machine, so neither may share the app's event loop): the sender, which signs
 * and posts a burst of clicks with the tests' driver, and the fake Slack Web API.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { type FakeSlackCall, type FakeSlackUser, startFakeSlack } from '../../test/support/fake-slack.js';
import { slackDriver } from '../../test/support/slack-driver.js';
import type { CannonResult } from './cannon.js';

export const memberId = (tag: string, i: number) => `U${tag}${String(i).padStart(5, '0')}`;

export interface Click {
  readonly userId: string;
  readonly value: string;
  readonly messageTs: string;
}

export interface BurstSpec {
  readonly url: string;
  readonly teamId: string;
  readonly fakeOrigin: string;
  readonly signingSecret: string;
  readonly concurrency: number;
  readonly clicks: readonly Click[];
}

export interface BurstResult {
  /** Response time of each click, ms, in the order the clicks were sent. */
  readonly latencies: number[];
  /** When the first click was sent and the last answer came, as epoch ms (comparable across threads). */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly failed: number;
}

export const epochNow = () => performance.timeOrigin + performance.now();

/** The sender: signs and posts the clicks, `concurrency` at a time, with the tests' driver. */
async function burst(spec: BurstSpec): Promise<BurstResult> {
  const driver = slackDriver({
    url: spec.url,
    signingSecret: spec.signingSecret,
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
export function burstInWorker(spec: BurstSpec): Promise<BurstResult> {
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
export async function startFakeInWorker(users: FakeSlackUser[]) {
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

if (!isMainThread) {
  const job = workerData as WorkerJob;
  if (job.role === 'fake') await serveFake(job.users);
  else parentPort?.postMessage(await burst(job.spec));
}

/** The same burst sent by autocannon from a process of its own (bench/support/cannon.ts). */
export async function burstFromCannon(spec: BurstSpec): Promise<CannonResult> {
  const script = new URL('./cannon.ts', import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(spec));
  const output = text(child.stdout);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the autocannon sender failed (exit ${code})`);
  return JSON.parse(await output) as CannonResult;
}
