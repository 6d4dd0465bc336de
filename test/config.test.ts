import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTING_NAMES } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('needs nothing at all: the embedded database and the terminal chat', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ dataDir: './.copro', port: 3000, slack: undefined, discord: undefined });
  });

  it('turns Slack on with a bot token and signing secret, or Socket Mode with an app token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({
      botToken: 'xoxb-1',
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({
      appToken: 'xapp-1',
    });
  });

  it('names the missing variable', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'SLACK_SIGNING_SECRET is needed with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
    expect(problems({ DISCORD_TOKEN: 't' })).toEqual(['DISCORD_APPLICATION_ID is needed with DISCORD_TOKEN']);
  });

  it('names the variable and says what is wrong with its value', () => {
    expect(problems({ PORT: 'abc' })).toEqual(['PORT must be a port number, like 3000']);
    expect(problems({ PORT: '70000' })).toEqual(['PORT must be a port number, like 3000']);
    expect(problems({ PORT: '3.5' })).toEqual(['PORT must be a port number, like 3000']);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_BOT_TOKEN must start with xoxb-: copy the "Bot User OAuth Token" from your Slack app\'s "OAuth & Permissions" page',
    ]);
    expect(problems({ COPRO_ENCRYPTION_KEY: 'short' })).toEqual([
      'COPRO_ENCRYPTION_KEY must be 32 bytes, base64-encoded: make one with openssl rand -base64 32',
    ]);
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(problems({ COPRO_ENCRYPTION_KEY: key, COPRO_PREVIOUS_ENCRYPTION_KEY: 'short' })).toEqual([
      'COPRO_PREVIOUS_ENCRYPTION_KEY must be 32 bytes, base64-encoded: make one with openssl rand -base64 32; it is the key used until now, while data moves to a new one (README, "Changing the encryption key")',
    ]);
    expect(problems({ COPRO_PREVIOUS_ENCRYPTION_KEY: key })).toEqual([
      'COPRO_ENCRYPTION_KEY is needed with COPRO_PREVIOUS_ENCRYPTION_KEY: it is the new key (README, "Changing the encryption key")',
    ]);
    const postgres =
      'DATABASE_URL must be a postgres:// address, such as postgres://copro@db.example.org:5432/copro';
    expect(problems({ DATABASE_URL: 'not a url' })).toEqual([postgres]);
    expect(problems({ DATABASE_URL: 'https://db.example.org/copro' })).toEqual([postgres]);
    expect(loadConfig({ DATABASE_URL: 'postgresql://copro@db/copro' }).databaseUrl).toBe(
      'postgresql://copro@db/copro',
    );
  });

  it('says where to find the right value, in plain words, for each setting copied from Slack or Discord', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toEqual([
      'SLACK_APP_TOKEN must start with xapp-: it is the app-level token on your Slack app\'s "Basic Information" page',
    ]);
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'copro' })).toEqual([
      'DISCORD_APPLICATION_ID must be the Application ID, only digits: copy it from "General Information" in the Discord Developer Portal',
    ]);
    expect(
      problems({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_GUILD_ID: 'my server' }),
    ).toEqual([
      'DISCORD_GUILD_ID must be the server\'s id, only digits: in Discord, right-click the server icon → "Copy Server ID"',
    ]);
    expect(problems({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(problems({ SLACK_API_URL: 'slack' })).toEqual([
      'SLACK_API_URL is for testing only: leave it out to use the real service, or give an address such as http://127.0.0.1:4010/api/',
    ]);
  });

  it('tells the person to fix the settings, and where they are listed, before copro can start', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      'copro cannot start: fix these settings first (README, "Environment", lists them):\n  - PORT must be a port number, like 3000',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', DATABASE_URL: '' })).toMatchObject({
      slack: undefined,
      databaseUrl: undefined,
    });
  });

  it('never puts a secret in an error message', () => {
    const message = (() => {
      try {
        loadConfig({ SLACK_BOT_TOKEN: 'xoxp-secret-value', SLACK_SIGNING_SECRET: 's' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).not.toContain('secret-value');
  });

  it("is listed in full in README's Environment table, with the defaults copro uses", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Environment'), readme.indexOf('## Connect to Slack'));
    for (const name of SETTING_NAMES) expect(table).toContain(`\`${name}\``);
    const defaults = loadConfig({});
    expect(table).toContain(`| \`${defaults.dataDir}\` |`);
    expect(table).toContain(`| \`${defaults.port}\` |`);
  });
});
