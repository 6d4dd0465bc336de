import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from '../../src/features.js';
import { createLogger } from '../../src/logger.js';
import { ANN, type Harness, SIGNING_SECRET, startHarness } from './harness.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

/** A form that fails, so its handling is logged at error level with the event around it. */
const fixture: Feature = {
  name: 'test fixture',
  forms: {
    'test.private': async () => {
      throw new Error('the feature broke');
    },
  },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ logger: createLogger('trace', sink), extraFeatures: [fixture] });
});
afterAll(async () => {
  await h.close();
});

describe('Slack adapter logs', () => {
  it('never hold the bot token, the signing secret or what someone typed, even at trace level', async () => {
    await h.driver.command('setup', { userId: ANN.id });
    h.fake.failNext('users.info', { error: 'internal_error' });
    await h.driver.command('help', { userId: 'UNEW' });
    await h.driver.submit({
      user: ANN,
      callbackId: 'test.private',
      values: { needs: { type: 'plain_text_input', value: 'I use a wheelchair' } },
    });
    await h.driver.command('setup', { userId: ANN.id, secret: 'forged' });
    await h.slack.settled();
    const all = lines.join('');
    expect(all).toContain('the feature broke');
    expect(all).toContain('could not look up a Slack user');
    expect(all).not.toContain(h.fake.botToken);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain('wheelchair');
  });
});
