import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord.js';
import { eventually } from '../support/fake-discord-driver.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { buildCompiled, startEnv, startFlags } from '../support/start-command.js';

/**
 * `npm start`'s program, as a separate process run as `npm start` runs it (compiled, with its Node
 * flags), with the Discord settings pointing at a fake Discord in this test: it registers /copro,
 * connects, answers, and stops cleanly on SIGTERM.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const ann = fakeMember('ann', { nick: 'Ann', manageServer: true });
const bo = fakeMember('bo');
let fake: FakeDiscord;
let child: ChildProcess;
let stderr = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  buildCompiled();
  child = spawn(process.execPath, [...startFlags, 'dist/src/main.js'], {
    cwd: root,
    env: {
      ...startEnv,
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      COPRO_DATA_DIR: 'memory://',
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  exited = new Promise((resolve) => child.on('close', resolve));
  await eventually(() => stderr.includes('connected to the Discord gateway'), 'copro to connect', 300_000);
});
afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
});

async function answer(record: ReturnType<FakeDiscord['command']>) {
  const [first] = await eventually(
    () => fake.visible(record).length > 0 && fake.visible(record),
    'an answer',
    60_000,
  );
  return first!.content;
}

describe('npm start with Discord settings', () => {
  it('registers /copro in the server, answers help, setup and role add, and stops cleanly on SIGTERM', async () => {
    expect(fake.requestsTo('PUT', /\/commands$/).map((r) => r.path)).toEqual([
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    ]);
    expect(await answer(fake.command(bo, ['help']))).toContain('What copro can do');
    expect(await answer(fake.command(ann, ['setup']))).toContain(`<@${ann.user.id}> is the coordinator`);
    const roleAnswer = await answer(fake.command(ann, ['role', 'add'], { user: bo, role: 'carer' }));
    expect(roleAnswer).toContain(`Done: <@${bo.user.id}> is now a carer.`);
    // Carer is a private role: the coordinator is told who can see it.
    expect(roleAnswer).toContain('This role is private');
    expect(stderr).not.toContain(fake.token);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The client said goodbye (a normal close) before the process ended.
    expect(fake.gateway.sessions.size).toBe(0);
    expect(fake.gateway.closes).toEqual([1000]);
  });
});
