import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { buttonsIn, type SlackButton } from '../support/slack-buttons.js';
import { slackDriver } from '../support/slack-driver.js';
import { ANN, BO, type Harness, SIGNING_SECRET, startHarness } from './harness.js';

/**
 * Clicks on a poll that Slack signs correctly but that must not count: from someone outside the
 * group's channel, from another workspace, or on a message that is not the poll. Each is a real
 * signed request through the real Bolt app; nothing is recorded and the person is told plainly.
 */
let h: Harness;
const OUTSIDER = { id: 'UOUT', name: 'out' };

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.reset();
  h.fake.addUser({ id: OUTSIDER.id, name: OUTSIDER.name, channels: [] });
  await h.driver.command('setup', { userId: ANN.id });
  await h.slack.settled();
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

type Button = Pick<SlackButton, 'action_id' | 'value'>;

async function postPoll(): Promise<{ ts: string; monday: Button; tuesday: Button }> {
  await h.driver.command('poll "Which day suits you?" "Monday" "Tuesday"', { userId: ANN.id });
  // Its message recorded first: a click on it before then would be refused.
  await h.slack.settled();
  const [posted] = await h.fake.waitFor('chat.postMessage');
  const [monday, tuesday] = buttonsIn(posted);
  return { ts: (posted!.answer as { ts: string }).ts, monday: monday!, tuesday: tuesday! };
}

async function answerAt(responseId: string): Promise<string> {
  await h.slack.settled();
  const answers = h.fake.callsTo('response_url').filter((c: FakeSlackCall) => c.responseUrlId === responseId);
  return answers.map((a) => String(a.body.text)).join('\n');
}

const votes = () => h.db.db.select().from(schema.pollVotes);
const members = () => h.db.db.select().from(schema.groupMembers);

describe('forged clicks on a Slack poll', () => {
  it('counts a click from a member in the channel on the poll itself', async () => {
    const { ts, monday } = await postPoll();
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: monday.action_id,
      value: monday.value,
      messageTs: ts,
    });
    expect(await answerAt(responseId)).toContain('You voted "Monday"');
    expect(await votes()).toHaveLength(1);
    expect(h.fake.callsTo('conversations.members').map((c) => c.body.channel)).toEqual(['C0HOME']);
  });

  it('refuses a signed click from someone who is not in the group’s channel, and does not make them a member', async () => {
    const { ts, monday } = await postPoll();
    const before = await members();
    const { responseId } = await h.driver.click({
      user: OUTSIDER,
      actionId: monday.action_id,
      value: monday.value,
      messageTs: ts,
    });
    expect(await answerAt(responseId)).toContain('Only members of');
    expect(await votes()).toHaveLength(0);
    expect(await members()).toEqual(before);
  });

  it('refuses a signed click carrying another workspace’s team_id', async () => {
    const { ts, monday } = await postPoll();
    const other = slackDriver({
      url: `http://127.0.0.1:${h.slack.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      teamId: 'T0OTHER',
      responseUrl: (id) => h.fake.responseUrl(id),
    });
    const { response, responseId } = await other.click({
      user: BO,
      actionId: monday.action_id,
      value: monday.value,
      messageTs: ts,
    });
    expect(response.status).toBe(200);
    expect(await answerAt(responseId)).toBe('That poll no longer exists. Nothing was recorded.');
    expect(await votes()).toHaveLength(0);
  });

  it('refuses a signed click with the poll’s button value on another message', async () => {
    const { monday } = await postPoll();
    await h.driver.command('poll "Another?" "Yes" "No"', { userId: ANN.id });
    const [, other] = await h.fake.waitFor('chat.postMessage', 2);
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: monday.action_id,
      value: monday.value,
      messageTs: (other!.answer as { ts: string }).ts,
    });
    expect(await answerAt(responseId)).toContain('Please use the buttons on poll');
    expect(await votes()).toHaveLength(0);
  });

  it('asks Slack for the channel’s members once when several people it has not seen vote at once', async () => {
    // Someone joining clears any list kept from an earlier test; then nobody's first click is known.
    await h.driver.event({ type: 'member_joined_channel', user: 'UNEW', channel: 'C0HOME' });
    await h.slack.settled();
    h.fake.clear();
    const { ts, monday } = await postPoll();
    h.fake.clear();
    const clicks = await Promise.all(
      [BO, { id: 'UCY', name: 'cy' }].map((user) =>
        h.driver.click({ user, actionId: monday.action_id, value: monday.value, messageTs: ts }),
      ),
    );
    for (const { responseId } of clicks) expect(await answerAt(responseId)).toContain('You voted "Monday"');
    expect(await votes()).toHaveLength(2);
    expect(h.fake.callsTo('conversations.members')).toHaveLength(1);
  });

  it('does not let someone back in from a kept list once Slack says they left the channel', async () => {
    const { ts, monday, tuesday } = await postPoll();
    // Bo's first click has copro read the channel's members, and Bo is among them.
    await h.driver.click({ user: BO, actionId: monday.action_id, value: monday.value, messageTs: ts });
    await h.slack.settled();
    h.fake.addUser({ id: BO.id, name: BO.name, channels: [] });
    await h.driver.event({ type: 'member_left_channel', user: BO.id, channel: 'C0HOME' });
    await h.slack.settled();
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: tuesday.action_id,
      value: tuesday.value,
      messageTs: ts,
    });
    expect(await answerAt(responseId)).toContain('Only members of');
    expect(await votes()).toHaveLength(1);
  });
});
