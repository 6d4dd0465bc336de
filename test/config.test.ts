import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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
      'SLACK_BOT_TOKEN must start with xoxb-',
    ]);
    expect(problems({ COPRO_ENCRYPTION_KEY: 'short' })).toEqual([
      'COPRO_ENCRYPTION_KEY must be 32 bytes, base64-encoded',
    ]);
    expect(problems({ DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL must be a postgres:// URL']);
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
});
