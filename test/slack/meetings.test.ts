import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buttonsIn } from '../support/slack-buttons.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

/** A meeting end to end on Slack: command → agenda post → a click on Going → the post updated. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.reset();
  await h.driver.command('setup', { userId: ANN.id });
  await h.slack.settled();
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

describe('a meeting in Slack', () => {
  it('posts the agenda with the answer buttons, counts Going, and thanks the person privately in their timezone', async () => {
    await h.driver.command('meeting new "Leaflet review" "in 3 days at 2pm" --where "Room 4"', {
      userId: ANN.id,
    });
    // Its message recorded first: a click on it before then would be refused.
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    expect(posted?.answer).toMatchObject({ ok: true });
    expect(posted?.body.channel).toBe('C0HOME');
    expect(String(posted?.body.text)).toContain('Leaflet review');
    const buttons = buttonsIn(posted);
    expect(buttons.map((b) => b.text.text)).toEqual(['Going', "Can't make it", 'Maybe']);

    const going = buttons[0]!;
    const ts = (posted!.answer as { ts: string }).ts;
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: going.action_id,
      value: going.value,
      messageTs: ts,
    });
    await h.slack.settled();
    await h.deps.outbox?.flush();
    const [thanks] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(thanks?.body).toMatchObject({ response_type: 'ephemeral' });
    // Bo's Slack timezone is New York: the time is also given in his.
    expect(String(thanks?.body.text)).toMatch(
      /Thank you. You are going to "Leaflet review" on .*for you that is .*America\/New_York time/,
    );
    const [updated] = h.fake.callsTo('chat.update');
    expect(updated?.body).toMatchObject({ channel: 'C0HOME', ts });
    expect(String(updated?.body.text)).toContain("1 going, 0 maybe, 0 can't make it");
  });
});
