import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

/**
 * Broadcast mentions typed by a member, sent through real signed requests, must never reach
 * Slack as mentions: copro must not ping the whole workspace on a member's behalf.
 *
 * Slack reads mentions and links only in mrkdwn (a message's `text` and mrkdwn text objects);
 * plain_text (headers, button labels) is shown exactly as written, so it is not checked here.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

/** The `text` of a call and every mrkdwn text in its blocks: everything Slack parses. */
function mrkdwnOf(body: Record<string, unknown> | undefined): string[] {
  const out = [String(body?.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(body?.blocks);
  return out;
}

/** Slack control sequences (<!channel>, <@U…>, <url|label>) in what was posted. */
const controlSequences = (body: Record<string, unknown> | undefined) =>
  mrkdwnOf(body).flatMap((t) => t.match(/<[^>]*>/g) ?? []);

async function copro(text: string, userId = ANN.id) {
  const { response, responseId } = await h.driver.command(text, { userId });
  expect(response.status).toBe(200);
  await h.slack.settled();
  return h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
}

const posted = (): FakeSlackCall[] => h.fake.callsTo('chat.postMessage');

describe('member text that tries to ping everyone on Slack', () => {
  it('posts a poll whose question and answers hold broadcasts, mentions and links without any of them working', async () => {
    await copro('setup');
    await copro(
      'poll "Lunch <!channel>?" "<!here> yes" "<!subteam^S0TEAM|@researchers> no" "<@UBO|bo> [Free gift](https://evil.example)"',
    );
    const [poll] = await h.fake.waitFor('chat.postMessage');
    expect(controlSequences(poll?.body)).toEqual([]);
    const text = mrkdwnOf(poll?.body).join('\n');
    expect(text).toContain('Lunch @channel?');
    expect(text).toContain('@here yes');
    expect(text).toContain('@researchers no');
    expect(text).toContain('@bo [Free gift](https://evil.example)');
  });

  it('announces a group whose name holds @everyone without pinging anyone', async () => {
    const [announcement] = await copro('setup --name "<!everyone> Leaflet group"');
    expect(announcement?.body.response_type).toBe('in_channel');
    // Only copro's own mention of the new coordinator is left, in the text and in the block.
    expect(new Set(controlSequences(announcement?.body))).toEqual(new Set(['<@UANN>']));
    expect(mrkdwnOf(announcement?.body).join('\n')).toContain('@everyone Leaflet group is set up');
  });

  it('names a role and a member with broadcasts in the digest without pinging anyone', async () => {
    h.fake.addUser({ id: 'UEVE', name: 'eve', displayName: '<!here> Eve' });
    await copro('setup');
    await copro('roles', 'UEVE');
    await copro('role define "<!channel> helper" "Helps out"');
    await copro(`role add <@${BO.id}|bo> channel helper`);
    await copro('digest now');
    const digest = posted().find((c) => String(c.body.text).startsWith('Weekly digest'));
    expect(digest, 'the digest was posted').toBeDefined();
    expect(controlSequences(digest?.body)).toEqual([]);
    const text = mrkdwnOf(digest?.body).join('\n');
    expect(text).toContain('@here Eve');
    expect(text).toContain('is now a @channel helper');
  });
});
