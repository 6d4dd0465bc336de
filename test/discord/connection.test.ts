import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import type { EventHandler } from '../../src/chat/index.js';
import { catalogue } from '../../src/commands/catalogue.js';
import type { CommandSpec } from '../../src/commands/types.js';
import type { DiscordConfig } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord.js';
import { NO_IDENTIFY_WAIT } from './harness.js';

/** These tests only connect: no event may reach the core. */
const noEvents: EventHandler = async (event) => {
  throw new Error(`no events expected in this test, got ${event.kind}`);
};

const open: { platform: DiscordPlatform; fake: FakeDiscord }[] = [];
afterEach(async () => {
  for (const { platform, fake } of open.splice(0)) {
    await platform.stop();
    await fake.close();
  }
});

async function fakeDiscord(options: FakeDiscordOptions = {}) {
  return FakeDiscord.start(options);
}

function platformFor(
  fake: FakeDiscord,
  options: { config?: Partial<DiscordConfig>; catalogue?: readonly CommandSpec[]; logs?: string[] } = {},
) {
  const logger = options.logs
    ? createLogger(
        'info',
        new Writable({
          write(chunk, _encoding, done) {
            options.logs?.push(String(chunk));
            done();
          },
        }),
      )
    : silentLogger();
  const platform = createDiscordPlatform(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, ...options.config },
    { logger, catalogue: options.catalogue ?? catalogue },
    { ws: NO_IDENTIFY_WAIT },
  );
  open.push({ platform, fake });
  return platform;
}

const puts = (fake: FakeDiscord) => fake.requestsTo('PUT', /\/commands$/);

describe('starting up', () => {
  it('registers /copro globally on the first start, and registers nothing on a restart with the same catalogue', async () => {
    const fake = await fakeDiscord();
    const first = platformFor(fake);
    await first.start(noEvents);
    expect(puts(fake).map((r) => r.path)).toEqual([`/applications/${fake.applicationId}/commands`]);
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(['copro']);
    await first.stop();

    const second = platformFor(fake);
    await second.start(noEvents);
    expect(puts(fake)).toHaveLength(1);
    expect(fake.requestsTo('GET', new RegExp(`^/applications/${fake.applicationId}/commands$`))).toHaveLength(
      2,
    );
    expect(fake.gateway.identified).toBe(true);
  });

  it('registers again when the catalogue changed', async () => {
    const fake = await fakeDiscord();
    await platformFor(fake).start(noEvents);
    const changed = catalogue.map((c) =>
      c.id === 'help' ? { ...c, summary: 'What copro can do for you' } : c,
    );
    await platformFor(fake, { catalogue: changed }).start(noEvents);
    expect(puts(fake)).toHaveLength(2);
  });

  it('registers in one server, which takes effect at once, when DISCORD_GUILD_ID is set', async () => {
    const fake = await fakeDiscord();
    await platformFor(fake, { config: { guildId: fake.guildId } }).start(noEvents);
    expect(puts(fake).map((r) => r.path)).toEqual([
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    ]);
    expect(fake.commands.get('global')).toBeUndefined();
  });

  it('removes the global /copro when registering in one server, so members never see two', async () => {
    const fake = await fakeDiscord();
    const global = platformFor(fake);
    await global.start(noEvents);
    await global.stop();
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(['copro']);

    await platformFor(fake, { config: { guildId: fake.guildId } }).start(noEvents);
    expect(fake.commands.get(`guild:${fake.guildId}`)?.map((c) => c.name)).toEqual(['copro']);
    expect(fake.commands.get('global')).toEqual([]);
  });

  it('removes the server /copro when registering globally again, so members never see two', async () => {
    const fake = await fakeDiscord();
    const inServer = platformFor(fake, { config: { guildId: fake.guildId } });
    await inServer.start(noEvents);
    await inServer.stop();

    await platformFor(fake).start(noEvents);
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(['copro']);
    expect(fake.commands.get(`guild:${fake.guildId}`)).toEqual([]);
    expect(fake.requestsTo('DELETE', /\/commands\/\d+$/).map((r) => r.path)).toEqual([
      expect.stringContaining(`/guilds/${fake.guildId}/commands/`),
    ]);
  });

  it('still starts, keeping the registered command, when Discord rate-limits registration', async () => {
    const fake = await fakeDiscord();
    fake.failNext(/\/commands$/, { status: 429, retryAfterSeconds: 60 }, 'PUT');
    const logs: string[] = [];
    await platformFor(fake, { logs }).start(noEvents);
    expect(fake.gateway.identified).toBe(true);
    expect(logs.join('')).toContain('could not update /copro now');
  });

  it('says plainly when Discord does not accept the token', async () => {
    const fake = await fakeDiscord();
    const platform = platformFor(fake, { config: { token: 'wrong-token' } });
    await expect(platform.start(noEvents)).rejects.toThrow(/DISCORD_TOKEN/);
  });

  it('says how to switch on the Server Members intent when it is off in the Developer Portal', async () => {
    const fake = await fakeDiscord({ privilegedIntents: 0 });
    const platform = platformFor(fake);
    await expect(platform.start(noEvents)).rejects.toThrow(/switch on "Server Members Intent"/);
  });

  it('never writes the token to the logs', async () => {
    const fake = await fakeDiscord({ token: 'very-secret-bot-token' });
    const logs: string[] = [];
    await platformFor(fake, { logs }).start(noEvents);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('')).not.toContain('very-secret-bot-token');
  });
});
