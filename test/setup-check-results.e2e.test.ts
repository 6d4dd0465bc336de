import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkDiscordSetup } from '../adapters/discord/credentials.js';
import { checkSlackCredentials, SLACK_BOT_SCOPES } from '../adapters/slack/credentials.js';
import { openDb } from '../db/client.js';
import { groups } from '../db/schema/index.js';
import { type Config, loadConfig, testDatabaseUrl } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { checkSetup } from '../src/setup-check.js';
import { openTestDb, type TestDb } from './support/db.js';
import { FakeDiscord } from './support/fake-discord.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';

/**
 * `npm run check` against the fake Slack and Discord APIs and a real database: the same checks,
 * the same configuration as `npm start` reads, one printed line per check and an exit code.
 */
let slack: FakeSlack;
let discord: FakeDiscord;
let dataDir: string | undefined;
let server: TestDb | undefined;
let database: { DATABASE_URL?: string; COPRO_DATA_DIR?: string };

beforeAll(async () => {
  slack = await startFakeSlack();
  discord = await FakeDiscord.start();
  // The Discord check reads the groups' channels from the database, so one group lives there.
  const row = {
    platform: 'discord' as const,
    workspaceId: discord.guildId,
    homeChannelId: discord.channelId,
    name: 'Leaflets',
  };
  if (testDatabaseUrl()) {
    server = await openTestDb();
    await server.db.insert(groups).values(row);
    database = { DATABASE_URL: server.location };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'copro-check-'));
    const seeded = await openDb({ dataDir });
    await seeded.db.insert(groups).values(row);
    await seeded.close();
    database = { COPRO_DATA_DIR: dataDir };
  }
  // A new embedded database is created and migrated here, which is slow on a busy machine.
}, 180_000);
afterAll(async () => {
  await discord.close();
  await slack.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  slack.grantScopes(SLACK_BOT_SCOPES);
  slack.grantScopes(['connections:write'], 'app');
  discord.setup.botPermissions = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  discord.setup.channelOverwrites = [];
});

function env(extra: Record<string, string> = {}): Config {
  return loadConfig({
    ...database,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: 'xapp-fake-token',
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    ...extra,
  });
}

async function check(config: Config): Promise<{ code: number; lines: string[] }> {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const code = await checkSetup(
    {
      config,
      openDb,
      slack: async (c) => (await checkSlackCredentials(c, silentLogger())).results,
      discord: checkDiscordSetup,
      // Opening the embedded database can take long on a busy machine; a slow start is not a fault here.
      databaseTimeoutMs: 60_000,
    },
    out,
  );
  return { code, lines: text.trim().split('\n') };
}

const problems = (lines: string[]) => lines.filter((l) => l.startsWith('FIX'));

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Each check opens the embedded database again, as `npm run check` does.
describe('npm run check', { timeout: 90_000 }, () => {
  it('prints ok for every check and exits 0 when everything copro needs is in place', async () => {
    const { code, lines } = await check(env());
    expect(problems(lines)).toEqual([]);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ok {3}database: .* answers and is up to date$/),
        'ok   Slack bot token (SLACK_BOT_TOKEN): accepted by the workspace "Fake"',
        `ok   Slack bot scopes: all ${SLACK_BOT_SCOPES.length} granted`,
        'ok   Slack app token (SLACK_APP_TOKEN): accepted, with connections:write: Socket Mode can connect',
        'ok   Discord token (DISCORD_TOKEN): accepted: the bot is copro',
        'ok   Discord Server Members intent: on: copro is told when people join, to welcome them',
        `ok   Discord channel <#${discord.channelId}>: copro can see #co-production and post there`,
      ]),
    );
    expect(lines.at(-1)).toBe('Everything copro needs is in place. Start it with: npm start');
    expect(code).toBe(0);
  });

  it('gives up on a SLACK_API_URL that takes the connection and never answers, and says so plainly', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      const { results } = await checkSlackCredentials(
        { botToken: 'xoxb-test', signingSecret: 'secret', apiUrl: `http://127.0.0.1:${port}/api/` },
        silentLogger(),
      );
      expect(results[0]).toMatchObject({ ok: false });
      expect(results[0]?.detail).toMatch(
        new RegExp(
          `^copro could not reach Slack at http://127\\.0\\.0\\.1:${port}/api/ to check it \\(it did not answer in time\\)\\. SLACK_API_URL is set`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  }, 20_000);

  it('names chat:write and the page to add it on when the bot token lacks it, and exits 1', async () => {
    slack.grantScopes(SLACK_BOT_SCOPES.filter((s) => s !== 'chat:write'));
    const { code, lines } = await check(env());
    expect(problems(lines)).toEqual([
      expect.stringMatching(
        /^FIX {2}Slack bot scopes: SLACK_BOT_TOKEN is missing the scope chat:write\. .*"OAuth & Permissions" → "Bot Token Scopes"/,
      ),
    ]);
    expect(code).toBe(1);
  });

  it('names mpim:write, for buddy introductions, when an app installed without it is checked', async () => {
    slack.grantScopes(SLACK_BOT_SCOPES.filter((s) => s !== 'mpim:write'));
    const { code, lines } = await check(env());
    expect(problems(lines)).toEqual([
      expect.stringMatching(/^FIX {2}Slack bot scopes: SLACK_BOT_TOKEN is missing the scope mpim:write\. /),
    ]);
    expect(code).toBe(1);
  });

  it('says the app token needs connections:write, and where to make one, when it lacks it', async () => {
    slack.grantScopes([], 'app');
    const { code, lines } = await check(env());
    expect(problems(lines)).toEqual([
      expect.stringMatching(
        /^FIX {2}Slack app token \(SLACK_APP_TOKEN\): SLACK_APP_TOKEN does not have the scope connections:write\. .*"App-Level Tokens"/,
      ),
    ]);
    expect(code).toBe(1);
  });

  it('says how to switch on the Server Members intent when it is off', async () => {
    const withoutIntent = await FakeDiscord.start({ privilegedIntents: 0 });
    try {
      const { code, lines } = await check(
        env({
          DISCORD_TOKEN: withoutIntent.token,
          DISCORD_APPLICATION_ID: withoutIntent.applicationId,
          DISCORD_API_URL: withoutIntent.apiUrl,
        }),
      );
      expect(problems(lines)).toContainEqual(
        expect.stringMatching(
          /^FIX {2}Discord Server Members intent: off\. .*switch on "Server Members Intent"/,
        ),
      );
      expect(code).toBe(1);
    } finally {
      await withoutIntent.close();
    }
  });

  it('says which application the token belongs to when DISCORD_APPLICATION_ID is another', async () => {
    const { code, lines } = await check(env({ DISCORD_APPLICATION_ID: '1234567890' }));
    expect(problems(lines)).toEqual([
      `FIX  Discord application (DISCORD_APPLICATION_ID): is 1234567890, but the token belongs to the application ${discord.applicationId} (copro). At https://discord.com/developers/applications, open that application, then "General Information" → "Application ID", and set it as DISCORD_APPLICATION_ID.`,
    ]);
    expect(code).toBe(1);
  });

  it('says how to add copro to a private group channel it cannot see', async () => {
    discord.setup.channelOverwrites = [
      { id: discord.guildId, type: 0, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) },
    ];
    const { code, lines } = await check(env());
    expect(problems(lines)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^FIX {2}Discord channel <#${discord.channelId}>: copro cannot see this group's channel .*"Add members or roles" → copro`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  it('names the permission copro lacks in the group channel', async () => {
    discord.setup.channelOverwrites = [
      { id: discord.guildId, type: 0, allow: '0', deny: String(PermissionFlagsBits.SendMessages) },
    ];
    const { lines } = await check(env());
    expect(problems(lines)).toEqual([expect.stringContaining('copro lacks Send Messages in #co-production')]);
  });

  it('says the database cannot be reached, why in plain words, and what to check, when DATABASE_URL points nowhere', async () => {
    const { code, lines } = await check(env({ DATABASE_URL: 'postgres://copro@127.0.0.1:1/copro' }));
    expect(lines[0]).toBe(
      'FIX  database: copro could not reach the Postgres server in DATABASE_URL (connection refused). Check the address, user and password in DATABASE_URL, and that the server is running.',
    );
    expect(code).toBe(1);
  });

  it('says where it looked for Slack and Discord, why they did not answer, and that the test addresses are to be left out', async () => {
    const port = await closedPort();
    const nowhere = {
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
    };
    const started = Date.now();
    const { code, lines } = await check(env(nowhere));
    const slack = `copro could not reach Slack at http://127.0.0.1:${port}/api/ to check it (connection refused). SLACK_API_URL is set, and it is for testing only: leave it out to reach Slack itself.`;
    expect(problems(lines)).toEqual([
      `FIX  Slack bot token (SLACK_BOT_TOKEN): ${slack}`,
      `FIX  Slack app token (SLACK_APP_TOKEN): ${slack}`,
      `FIX  Discord token (DISCORD_TOKEN): copro could not reach Discord at http://127.0.0.1:${port}/api to check it (connection refused). DISCORD_API_URL is set, and it is for testing only: leave it out to reach Discord itself.`,
    ]);
    expect(code).toBe(1);
    // Nothing waits on an address that refuses: opening the database is most of this time.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('leaves the embedded database alone while copro is running with it, and says to stop copro first', async () => {
    const running = mkdtempSync(join(tmpdir(), 'copro-check-running-'));
    try {
      // A copro that is running holds the folder's claim; this test's parent process stands in for it.
      writeFileSync(join(running, 'copro.pid'), String(process.ppid));
      const { code, lines } = await check(loadConfig({ COPRO_DATA_DIR: running }));
      expect(lines[0]).toBe(
        `FIX  database: copro is running with the data in ${running} (process ${process.ppid}), so it was not opened here. Stop that copro, then run npm run check again.`,
      );
      expect(readdirSync(running)).toEqual(['copro.pid']);
      expect(code).toBe(1);
    } finally {
      rmSync(running, { recursive: true, force: true });
    }
  });

  it('says plainly when the Slack address uses a port that web requests may not use', async () => {
    const { lines } = await check(env({ SLACK_API_URL: 'http://127.0.0.1:9/api/' }));
    expect(problems(lines)).toContainEqual(
      expect.stringContaining('(that port cannot be used for web addresses; choose another)'),
    );
  });
});
