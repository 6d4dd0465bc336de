import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../adapters/slack/credentials.js';
import { createSlackPlatform, type SlackPlatform } from '../../adapters/slack/index.js';
import { type Block, DeliveryError } from '../../src/chat/index.js';
import { silentLogger } from '../../src/logger.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

let fake: FakeSlack;
let slack: SlackPlatform;

function platform(apiUrl: string): SlackPlatform {
  return createSlackPlatform(
    { botToken: 'xoxb-fake-token', signingSecret: 's', apiUrl, port: 0, host: '127.0.0.1' },
    { logger: silentLogger(), health: async () => true },
  );
}

beforeAll(async () => {
  fake = await startFakeSlack();
  slack = platform(fake.apiUrl);
});
beforeEach(() => fake.clear());
afterAll(async () => {
  await fake.close();
});

async function failure(run: () => Promise<unknown>): Promise<DeliveryError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('posting messages', () => {
  it('posts to a channel with blocks and a text fallback, and returns a reference for later edits', async () => {
    const ref = await slack.post(
      { kind: 'channel', channelId: 'C1' },
      { text: 'Hello', blocks: [{ type: 'text', text: '**Hello**' }] },
    );
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.body).toMatchObject({
      channel: 'C1',
      text: 'Hello',
      blocks: [{ type: 'section', text: { text: '*Hello*' } }],
    });
    expect(call?.token).toBe('xoxb-fake-token');
    expect(ref).toEqual({
      platform: 'slack',
      channelId: 'C1',
      messageId: (call!.answer as { ts: string }).ts,
    });
  });

  it('opens a DM once per person and reuses it', async () => {
    await slack.post({ kind: 'dm', userId: 'UDM1' }, { text: 'one' });
    await slack.post({ kind: 'dm', userId: 'UDM1' }, { text: 'two' });
    expect(fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['UDM1']);
    expect(fake.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['DUDM1', 'DUDM1']);
  });

  it('opens a group DM with everyone in it, with the mpim:write scope copro asks for', async () => {
    expect(SLACK_BOT_SCOPES).toContain('mpim:write');
    await slack.post({ kind: 'groupDm', userIds: ['UB', 'UA'] }, { text: 'Buddies this month' });
    expect(fake.callsTo('conversations.open')[0]?.body.users).toBe('UA,UB');
  });

  it('reports a group DM as refused, not worth retrying, when the app was installed without mpim:write', async () => {
    fake.grantScopes(SLACK_BOT_SCOPES.filter((s) => s !== 'mpim:write'));
    const error = await failure(() =>
      slack.post({ kind: 'groupDm', userIds: ['UD', 'UC'] }, { text: 'Buddies this month' }),
    ).finally(() => fake.grantScopes(SLACK_BOT_SCOPES));
    expect(error.reason).toBe('rejected');
    expect(error.message).toContain('missing_scope');
  });

  it('sends a message too big for one Slack message as several, all accepted, in order', async () => {
    const blocks: Block[] = Array.from({ length: 120 }, (_, i) => ({ type: 'text', text: `Item ${i + 1}` }));
    const ref = await slack.post({ kind: 'channel', channelId: 'C1' }, { text: 'Everything', blocks });
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => (c.answer as { ok: boolean }).ok)).toEqual([true, true, true]);
    expect(calls.map((c) => (c.body.blocks as unknown[]).length)).toEqual([50, 50, 20]);
    expect(ref.messageId).toBe((calls[0]!.answer as { ts: string }).ts);
  });

  it('edits a message in place with chat.update', async () => {
    await slack.update(
      { platform: 'slack', channelId: 'C1', messageId: '1700000000.000009' },
      { text: 'Results: 3 votes' },
    );
    expect(fake.callsTo('chat.update')[0]?.body).toMatchObject({
      channel: 'C1',
      ts: '1700000000.000009',
      text: 'Results: 3 votes',
    });
  });
});

describe('delivery failures, as the outbox sees them', () => {
  it('reports a 429 as rate_limited with Slack’s Retry-After, without retrying by itself', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await failure(() => slack.post({ kind: 'channel', channelId: 'C1' }, { text: 'hi' }));
    expect(error.reason).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('reports a 5xx as unavailable', async () => {
    fake.failNext('chat.update', { status: 503 });
    const error = await failure(() =>
      slack.update({ platform: 'slack', channelId: 'C1', messageId: '1.2' }, { text: 'x' }),
    );
    expect(error.reason).toBe('unavailable');
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('reports an ok:false answer as rejected, naming Slack’s error', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const error = await failure(() => slack.post({ kind: 'channel', channelId: 'CGONE' }, { text: 'hi' }));
    expect(error.reason).toBe('rejected');
    expect(error.message).toContain('channel_not_found');
  });

  it('reports a failure to open a DM the same way as a failure to post', async () => {
    fake.failNext('conversations.open', { status: 429, retryAfter: 30 });
    const error = await failure(() => slack.post({ kind: 'dm', userId: 'UNEW' }, { text: 'hi' }));
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterMs: 30_000 });
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('reports Slack out of reach as unavailable', async () => {
    const down = await startFakeSlack();
    const url = down.apiUrl;
    await down.close();
    const error = await failure(() =>
      platform(url).post({ kind: 'channel', channelId: 'C1' }, { text: 'hi' }),
    );
    expect(error.reason).toBe('unavailable');
  });
});

describe('starting', () => {
  it('refuses to start, in plain words, when Slack does not accept the bot token', async () => {
    const wrong = createSlackPlatform(
      { botToken: 'xoxb-wrong', signingSecret: 's', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
      { logger: silentLogger(), health: async () => true },
    );
    await expect(wrong.start(async () => undefined)).rejects.toThrow(
      /Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\)/,
    );
  });

  it('stops at start, naming SLACK_APP_TOKEN and connections:write, when the app token lacks that scope', async () => {
    fake.grantScopes([], 'app');
    const socket = createSlackPlatform(
      {
        botToken: fake.botToken,
        appToken: 'xapp-fake-token',
        apiUrl: fake.apiUrl,
        port: 0,
        host: '127.0.0.1',
      },
      { logger: silentLogger(), health: async () => true },
    );
    try {
      await expect(socket.start(async () => undefined)).rejects.toThrow(
        /SLACK_APP_TOKEN does not have the scope connections:write\. .*"Basic Information" → "App-Level Tokens"/,
      );
    } finally {
      fake.grantScopes(['connections:write'], 'app');
      await socket.stop();
    }
    const opens = fake.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.answer).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'connections:write',
      provided: '',
    });
  });

  it('stops at start, naming the scope, when the bot token was installed without chat:write', async () => {
    fake.grantScopes(SLACK_BOT_SCOPES.filter((s) => s !== 'chat:write'));
    try {
      await expect(platform(fake.apiUrl).start(async () => undefined)).rejects.toThrow(
        /SLACK_BOT_TOKEN is missing the scope chat:write\. .*"Reinstall to Workspace"/,
      );
    } finally {
      fake.grantScopes(SLACK_BOT_SCOPES);
    }
  });

  it('answers GET /healthz with 503 while the database does not answer', async () => {
    const unhealthy = createSlackPlatform(
      { botToken: fake.botToken, signingSecret: 's', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
      { logger: silentLogger(), health: async () => false },
    );
    await unhealthy.start(async () => undefined);
    try {
      const res = await fetch(`http://127.0.0.1:${unhealthy.port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await unhealthy.stop();
    }
  });
});
