import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from './fake-slack.js';
import { type SlackDriver, slackDriver } from './slack-driver.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SLACK_PROCESS_SECRET = 'test-signing-secret';

export interface CoproProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly driver: SlackDriver;
  /** Everything the process wrote to stderr so far (its log lines). */
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** GET /healthz: the status, or 0 when nothing answered within `ms`. */
  health(ms?: number): Promise<number>;
  /** SIGKILL unless already gone; resolves once it has ended. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `npm start`'s program as its own process in Slack HTTP mode, pointed at a fake Slack Web API.
 * Resolves once /healthz answers 200, unless `waitForHealth` is false (a start meant to fail).
 */
export async function startSlackProcess(
  fake: FakeSlack,
  env: Record<string, string>,
  options: { waitForHealth?: boolean; port?: number } = {},
): Promise<CoproProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      COPRO_DATA_DIR: 'memory://',
      PORT: String(port),
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SLACK_PROCESS_SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const driver = slackDriver({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SLACK_PROCESS_SECRET,
    teamId: fake.teamId,
    responseUrl: (id) => fake.responseUrl(id),
  });
  const health = async (ms = 3000) => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(ms) }).catch(
      () => undefined,
    );
    return res?.status ?? 0;
  };
  const running: CoproProcess = {
    child,
    port,
    driver,
    stderr: () => stderr,
    exited,
    health,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (options.waitForHealth !== false) {
    await until(
      async () => (child.exitCode !== null ? 'gone' : (await health(1000)) === 200),
      'copro to serve /healthz',
      // Starting takes a few seconds alone, far longer on a machine busy with other test runs.
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${stderr}`);
    });
    if (child.exitCode !== null) throw new Error(`copro exited with ${child.exitCode}\n${stderr}`);
  }
  return running;
}
