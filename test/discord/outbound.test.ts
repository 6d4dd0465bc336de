import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { type Message, textMessage } from '../../src/chat/index.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { silentLogger } from '../../src/logger.js';
import { failure } from '../support/delivery-error.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { BO, CY } from './harness.js';

/**
 * What the outbox and background jobs send. Posting needs only the REST API, so the platform is
 * not connected to the gateway here: the outbox may deliver before (or while) it connects.
 */
let fake: FakeDiscord;
let discord: DiscordPlatform;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  discord = createDiscordPlatform(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { logger: silentLogger(), catalogue },
  );
});
afterEach(() => fake.clear());
afterAll(async () => {
  await discord.stop();
  await fake.close();
});

const channel = () => ({ kind: 'channel' as const, channelId: fake.channelId });

describe('posting and updating', () => {
  it('posts in a channel and updates the same message later from its ref', async () => {
    const ref = await discord.post(channel(), textMessage('Poll: 0 votes'));
    expect(ref).toEqual({ platform: 'discord', channelId: fake.channelId, messageId: expect.any(String) });
    await discord.update(ref, textMessage('Poll: 1 vote'));
    const [message] = fake.messagesIn(fake.channelId);
    expect(message).toMatchObject({ id: ref.messageId, content: 'Poll: 1 vote', edits: 1 });
  });

  it('never lets member-written text ping everyone or a role', async () => {
    await discord.post(channel(), textMessage('@everyone which day suits <@123>?'));
    const [request] = fake.requestsTo('POST', /\/messages$/);
    expect(request!.body.allowed_mentions).toEqual({ parse: ['users'] });
  });

  it('splits a message too long for one Discord message, in order, and keeps every part editable', async () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1}. ${'word '.repeat(100)}`);
    const long: Message = {
      text: 'A long digest',
      blocks: paragraphs.map((text) => ({ type: 'text', text })),
    };
    const ref = await discord.post(channel(), long);
    const parts = fake.messagesIn(fake.channelId);
    expect(parts.length).toBe(2);
    expect(ref.messageId).toBe(parts.map((p) => p.id).join(','));
    expect(parts.map((p) => p.content).join('\n\n')).toBe(paragraphs.join('\n\n'));

    await discord.update(ref, textMessage('Shorter now.'));
    expect(parts.map((p) => p.content)).toEqual(['Shorter now.', '(See the message above.)']);
  });

  it('opens a direct message once per person and posts there', async () => {
    const first = await discord.post({ kind: 'dm', userId: BO.user.id }, textMessage('Hello Bo'));
    const second = await discord.post({ kind: 'dm', userId: BO.user.id }, textMessage('Hello again'));
    expect(first.channelId).toBe(fake.dmChannels.get(BO.user.id));
    expect(second.channelId).toBe(first.channelId);
    expect(fake.requestsTo('POST', /^\/users\/@me\/channels$/)).toHaveLength(1);
    expect(fake.dmsTo(BO.user.id).map((m) => m.content)).toEqual(['Hello Bo', 'Hello again']);
  });

  it('sends a group DM as one direct message to each person (bots cannot start group DMs), and updates every copy', async () => {
    const ref = await discord.post(
      { kind: 'groupDm', userIds: [BO.user.id, CY.user.id] },
      textMessage('You are buddies!'),
    );
    expect(fake.dmsTo(BO.user.id).map((m) => m.content)).toEqual(['You are buddies!']);
    expect(fake.dmsTo(CY.user.id).map((m) => m.content)).toEqual(['You are buddies!']);

    await discord.update(ref, textMessage('You are buddies! Say hello.'));
    expect(fake.dmsTo(BO.user.id)[0]!.content).toBe('You are buddies! Say hello.');
    expect(fake.dmsTo(CY.user.id)[0]!.content).toBe('You are buddies! Say hello.');
  });
});

describe('delivery failures, for the outbox to act on', () => {
  it('reports a rate limit with the wait Discord asked for, without retrying', async () => {
    fake.failNext(/\/channels\/\d+\/messages$/, { status: 429, retryAfterSeconds: 1.5 });
    const error = await failure(discord.post(channel(), textMessage('Hi')));
    expect(error.reason).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1500);
    expect(error.retryAfterMs).toBeLessThan(3000);
    expect(fake.requestsTo('POST', /\/messages$/)).toHaveLength(1);
  });

  it('reports a Discord server error as unavailable, without retrying', async () => {
    fake.failNext(/\/channels\/\d+\/messages$/, { status: 500 });
    const error = await failure(discord.post(channel(), textMessage('Hi')));
    expect(error.reason).toBe('unavailable');
    expect(fake.requestsTo('POST', /\/messages$/)).toHaveLength(1);
  });

  it('reports a refusal (missing access, unknown message) as rejected', async () => {
    fake.failNext(/\/channels\/\d+\/messages$/, { status: 403, code: 50001, message: 'Missing Access' });
    expect((await failure(discord.post(channel(), textMessage('Hi')))).reason).toBe('rejected');
    const gone = { platform: 'discord' as const, channelId: fake.channelId, messageId: '42' };
    expect((await failure(discord.update(gone, textMessage('Hi')))).reason).toBe('rejected');
  });

  it('reports Discord being unreachable as unavailable', async () => {
    const unreachable = createDiscordPlatform(
      { token: 't', applicationId: fake.applicationId, apiUrl: 'http://127.0.0.1:9/api' },
      { logger: silentLogger(), catalogue },
      { restTimeoutMs: 1000 },
    );
    const error = await failure(unreachable.post(channel(), textMessage('Hi')));
    expect(error.reason).toBe('unavailable');
    await unreachable.stop();
  });
});
