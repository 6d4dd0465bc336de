import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';

/** `npm run check` and `npm start` as separate processes, with Slack settings pointing at a fake Slack. */
const root = fileURLToPath(new URL('../', import.meta.url));
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack({ appScopes: [] });
});
afterAll(async () => {
  await fake.close();
});

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        COPRO_DATA_DIR: 'memory://',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const slackSocketMode = () => ({
  SLACK_BOT_TOKEN: fake.botToken,
  SLACK_APP_TOKEN: 'xapp-fake-token',
  SLACK_API_URL: fake.apiUrl,
  LOG_LEVEL: 'silent',
});

describe('the setup check and start-up, as separate processes', () => {
  it('npm run check exits 1 and names connections:write when the app token lacks it', async () => {
    const { code, stdout } = await run(['check'], slackSocketMode());
    expect(stdout).toContain(
      'FIX  Slack app token (SLACK_APP_TOKEN): SLACK_APP_TOKEN does not have the scope connections:write.',
    );
    expect(code).toBe(1);
  });

  it('npm start stops at once, in plain words, instead of retrying an app token without connections:write', async () => {
    const { code, stderr } = await run([], slackSocketMode());
    expect(stderr).toContain(
      'copro could not start: Slack app token (SLACK_APP_TOKEN): SLACK_APP_TOKEN does not have the scope connections:write.',
    );
    expect(stderr).not.toContain('xapp-fake-token');
    expect(code).toBe(1);
  });
});
