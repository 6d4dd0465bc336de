import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * A buddy round on Slack, the whole way: members opt in with /copro, a coordinator runs the
 * round, and the introduction reaches the people introduced in one group DM, through the real
 * Bolt app, the core, the outbox and the dispatcher, with only Slack's Web API faked.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.reset();
  await h.driver.command('setup', { userId: ANN.id });
  for (const person of [BO, CY]) {
    await h.driver.event({
      type: 'member_joined_channel',
      user: person.id,
      channel: 'C0HOME',
      channel_type: 'C',
      team: 'T0FAKE',
    });
  }
  await h.slack.settled();
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

/** The private answer Slack shows the person who typed a command. */
async function say(userId: string, text: string): Promise<string> {
  const { responseId } = await h.driver.command(text, { userId });
  await h.slack.settled();
  const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
  return String(answer?.body.text);
}

/** Messages copro posted in group DMs, with who was in each. */
async function groupDms() {
  await h.slack.settled();
  await h.deps.outbox?.flush();
  const opened = h.fake.callsTo('conversations.open').filter((c) => String(c.body.users).includes(','));
  return opened.map((open) => {
    const channel = (open.answer as { channel: { id: string } }).channel.id;
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
    return { users: String(open.body.users).split(','), texts: posts.map((p) => String(p.body.text)) };
  });
}

describe('a buddy round on Slack', () => {
  it('two members opt in, the coordinator runs the round, and both get one introduction together', async () => {
    expect(await say(BO.id, 'buddy opt-in')).toContain('you will be paired');
    expect(await say(CY.id, 'buddy opt-in')).toContain('you will be paired');
    const done = await say(ANN.id, 'match run');
    expect(done).toContain('Round 1 is done: 1 introduction sent.');

    const dms = await groupDms();
    expect(dms.map((d) => d.users.sort())).toEqual([[BO.id, CY.id]]);
    const [intro] = dms[0]!.texts;
    expect(dms[0]!.texts).toHaveLength(1);
    expect(intro).toContain('peer buddies puts you together');
    expect(intro).toContain(`<@${BO.id}>`);
    expect(intro).toContain(`<@${CY.id}>`);
    expect(intro).toContain('at a time that suits you both');
    const refused = h.fake.calls.filter((c) => (c.answer as { ok?: boolean } | undefined)?.ok === false);
    expect(refused).toEqual([]);
  });

  it('three members in a group of 3 share one group DM, told "you all"', async () => {
    for (const person of [ANN, BO, CY]) await say(person.id, 'buddy opt-in');
    expect(await say(ANN.id, 'match run --size 3')).toContain('Round 1 is done: 1 introduction sent.');
    const dms = await groupDms();
    expect(dms.map((d) => d.users.sort())).toEqual([[ANN.id, BO.id, CY.id]]);
    expect(dms[0]!.texts[0]).toContain('at a time that suits you all');
  });
});
