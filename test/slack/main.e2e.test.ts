import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type SlackDriver, slackDriver } from '../support/slack-driver.js';

/**
 * `npm start`'s program as a separate process, with the Slack settings pointing at a fake Slack
 * Web API in this test: it serves /slack/events on PORT, answers signed commands as the terminal
 * chat does, and stops cleanly on SIGTERM.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const secret = 'test-signing-secret';
const ANN = { id: 'UANN', name: 'ann' };
const BO = { id: 'UBO', name: 'bo' };
let fake: FakeSlack;
let driver: SlackDriver;
let child: ChildProcess;
let port: number;
let stderr = '';
let exited: Promise<number | null>;

function freePort(): Promise<number> {
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

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  // Starting a process can take a minute on a busy machine; a wait that succeeds returns at once.
  ms = 300_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function copro(text: string, user: { id: string; name: string }): Promise<string> {
  const { response, responseId } = await driver.command(text, {
    userId: user.id,
    userName: user.name,
    channelId: 'C0HOME',
  });
  expect(response.status).toBe(200);
  const [answer] = await until(() => {
    const found = fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    return found.length > 0 ? found : undefined;
  }, `an answer to /copro ${text}`);
  return String(answer?.body.text);
}

beforeAll(async () => {
  fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: 'ann', displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      { id: BO.id, name: 'bo', displayName: 'Bo', tz: 'Europe/London' },
    ],
  });
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      COPRO_DATA_DIR: 'memory://',
      PORT: String(port),
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  exited = new Promise((resolve) => child.on('close', resolve));
  driver = slackDriver({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: secret,
    teamId: fake.teamId,
    responseUrl: (id) => fake.responseUrl(id),
  });
  await until(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    return res?.status === 200;
  }, 'copro to serve /healthz');
});
afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
});

describe('npm start with Slack settings', () => {
  it('answers signed help, setup and role add on PORT, as in the terminal, and stops cleanly on SIGTERM', async () => {
    expect(await copro('help', BO)).toContain('What copro can do');
    expect(await copro('setup', ANN)).toContain('<@UANN> is the coordinator');
    expect(await copro('role add <@UBO|bo> researcher', ANN)).toBe('Done: <@UBO> is now a researcher.');
    expect(await copro('role add <@UANN|ann> carer', BO)).toBe(
      'Only coordinators can use /copro role add. Ask <@UANN>, who coordinates this group.',
    );
    expect(stderr).not.toContain(fake.botToken);
    expect(stderr).not.toContain(secret);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
