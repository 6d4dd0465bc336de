import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unlimited } from '../../src/jobs/index.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

/**
 * Member-written text on Discord, through the real discord.js client and the fake gateway: a
 * mention typed into a poll pings nobody and a markdown link shows as text, not as a link.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: unlimited });
});
beforeEach(async () => {
  await h.reset();
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  await h.discord.settled();
});
afterAll(async () => {
  await h.close();
});

describe('member text in a Discord poll', () => {
  it('shows mentions and a markdown link as typed, and lets Discord ping only users copro names', async () => {
    const answer = h.fake.command(BO, ['poll', 'new'], {
      question: 'Lunch @everyone <@&777> <@123456>?',
      options: '[Free gift](https://evil.example); Friday',
    });
    await eventually(() => h.fake.visible(answer).length > 0, 'an answer');
    await h.discord.settled();
    const [poll] = h.fake.messagesIn(h.fake.channelId);
    expect(poll?.content).toContain('Lunch @everyone @777 @123456?');
    expect(poll?.content).toContain('\\[Free gift\\](https://evil.example)');
    // No mention syntax and no markdown link is left for Discord to act on.
    expect(poll?.content).not.toMatch(/<@/);
    expect(poll?.content).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    const [request] = h.fake.requestsTo('POST', /\/channels\/\d+\/messages$/);
    expect(request?.body.allowed_mentions).toEqual({ parse: ['users'] });
  });
});
