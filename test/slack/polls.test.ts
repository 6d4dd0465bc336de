import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { buttonsIn, type SlackButton } from '../support/slack-buttons.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * A poll travels the whole way: command → core → outbox → dispatcher → chat.postMessage, then
 * a click → action → vote → outbox → chat.update, every message checked by the fake as Slack would.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.slack.settled();
  await h.db.startFrom('a group', async () => {
    await h.driver.command('setup', { userId: ANN.id });
    await h.slack.settled();
  });
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

const accepted = (call: FakeSlackCall | undefined) =>
  (call?.answer as { ok: boolean; errors?: unknown }) ?? {};

/** What a person sees in a message: every text in its blocks, Slack's bold marks taken out. */
function shown(call: FakeSlackCall | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(call?.body.blocks);
  return texts.join('\n').replace(/\*/g, '');
}

/** The private answer Slack shows the person, through the response_url of their command or click. */
async function answerAt(responseId: string): Promise<string> {
  await h.slack.settled();
  const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
  return String(answer?.body.text);
}

describe('a poll in Slack', () => {
  it('is posted in the channel with a button per answer, and updated in place as votes arrive', async () => {
    await h.driver.command('poll "Which day suits you?" "Monday" "Tuesday"', { userId: ANN.id });
    // Sent, and its message recorded: a click that came before would not be on the poll's message.
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    expect(accepted(posted)).toMatchObject({ ok: true });
    expect(posted?.body.channel).toBe('C0HOME');
    expect(String(posted?.body.text)).toContain('Which day suits you?');
    const buttons = buttonsIn(posted);
    expect(buttons.map((b) => b.text.text)).toEqual(['Monday', 'Tuesday']);

    const monday = buttons[0]!;
    const ts = (posted!.answer as { ts: string }).ts;
    const { responseId } = await h.driver.click({
      user: BO,
      actionId: monday.action_id,
      value: monday.value,
      messageTs: ts,
    });
    await h.slack.settled();
    await h.deps.outbox?.flush();
    const [thanks] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(thanks?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(thanks?.body.text)).toContain('You voted "Monday"');
    const [updated] = h.fake.callsTo('chat.update');
    expect(accepted(updated)).toMatchObject({ ok: true });
    expect(updated?.body).toMatchObject({ channel: 'C0HOME', ts });
    expect(String(updated?.body.text)).toContain('Monday: 1 vote (100%)');
  });

  it('fits a poll with the most answers copro allows into one message Slack accepts', async () => {
    const answers = Array.from(
      { length: 20 },
      (_, i) => `"Option number ${i + 1}, which has a rather long label indeed"`,
    );
    await h.driver.command(`poll "Which should we work on first?" ${answers.join(' ')}`, { userId: CY.id });
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    expect(accepted(posted)).toMatchObject({ ok: true });
    const buttons = buttonsIn(posted);
    expect(buttons).toHaveLength(20);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(20);
    expect(buttons.every((b) => b.text.text.length <= 75)).toBe(true);
  });

  it('opens the ranking form from its button and answers a form with no first choice with field errors', async () => {
    await h.driver.command('poll "What matters most?" "Access" "Pay" "Time" --ranked', { userId: ANN.id });
    // Sent, and its message recorded: a click that came before would not be on the poll's message.
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    const [rank] = buttonsIn(posted);
    expect(rank?.text.text).toBe('Rank the options');
    await h.driver.click({
      user: BO,
      actionId: rank!.action_id,
      value: rank!.value,
      messageTs: (posted!.answer as { ts: string }).ts,
    });
    const [opened] = await h.fake.waitFor('views.open');
    expect(accepted(opened)).toMatchObject({ ok: true });
    const view = opened!.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('poll.rank');

    const submit = (first: string | null) =>
      h.driver.submit({
        user: BO,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          rank1: { type: 'static_select', selected: first },
          rank2: { type: 'static_select', selected: null },
          rank3: { type: 'static_select', selected: null },
        },
      });
    const empty = await submit(null);
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: { rank1: 'Please choose at least your 1st priority.' },
    });
    const good = await submit('1');
    expect(good).toMatchObject({ status: 200, text: '' });
    const [thanks] = await h.fake.waitFor('chat.postEphemeral');
    expect(thanks?.body).toMatchObject({ channel: 'C0HOME', user: 'UBO' });
    expect(String(thanks?.body.text)).toContain('1. Pay');
  });
  it('counts two people who send the same ranking from forms alike as two votes', async () => {
    await h.driver.command('poll "What matters most?" "Access" "Pay" --ranked', { userId: ANN.id });
    // Sent, and its message recorded: a click that came before would not be on the poll's message.
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    const [rank] = buttonsIn(posted);
    await h.driver.click({
      user: BO,
      actionId: rank!.action_id,
      value: rank!.value,
      messageTs: (posted!.answer as { ts: string }).ts,
    });
    const [opened] = await h.fake.waitFor('views.open');
    const view = opened!.body.view as { callback_id: string; private_metadata: string };
    for (const user of [BO, CY]) {
      const res = await h.driver.submit({
        user,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          rank1: { type: 'static_select', selected: '1' },
          rank2: { type: 'static_select', selected: '0' },
        },
      });
      expect(res.status).toBe(200);
    }
    await h.slack.settled();
    expect(await h.db.db.select().from(schema.pollVotes)).toHaveLength(2);
  });
});

describe('a poll from start to finish in Slack', () => {
  it('moves a changed vote, and on /copro poll close posts the results and shows the poll closed without buttons', async () => {
    await h.driver.command('poll "Which day suits you?" "Monday" "Tuesday"', { userId: ANN.id });
    // Sent, and its message recorded: a click that came before would not be on the poll's message.
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    const ts = (posted!.answer as { ts: string }).ts;
    const code = /Poll (P\w+)/.exec(String(posted?.body.text))?.[1];
    const [monday, tuesday] = buttonsIn(posted);
    const vote = async (user: typeof BO, button: SlackButton) => {
      const { responseId } = await h.driver.click({
        user,
        actionId: button.action_id,
        value: button.value,
        messageTs: ts,
      });
      const said = await answerAt(responseId);
      await h.deps.outbox?.flush();
      return said;
    };

    expect(await vote(BO, monday!)).toContain('You voted "Monday"');
    expect(shown(h.fake.callsTo('chat.update').at(-1))).toContain('Monday: 1 vote (100%)');
    expect(await vote(BO, tuesday!)).toContain('You voted "Tuesday"');
    const moved = h.fake.callsTo('chat.update').at(-1);
    expect(moved?.body).toMatchObject({ channel: 'C0HOME', ts });
    expect(shown(moved)).toContain('Monday: 0 votes (0%)');
    expect(shown(moved)).toContain('Tuesday: 1 vote (100%)');
    expect(shown(moved)).toContain('1 person voted so far.');
    await vote(CY, tuesday!);
    h.fake.clear();

    const { responseId } = await h.driver.command(`poll close ${code}`, { userId: ANN.id });
    expect(await answerAt(responseId)).toBe(`Poll ${code} is closed. The results are posted in <#C0HOME>.`);
    const [closed] = h.fake.callsTo('chat.update');
    expect(accepted(closed)).toMatchObject({ ok: true });
    expect(closed?.body).toMatchObject({ channel: 'C0HOME', ts });
    expect(shown(closed)).toContain(`Poll ${code} (closed): Which day suits you?`);
    expect(shown(closed)).toContain('Tuesday: 2 votes (100%)');
    expect(buttonsIn(closed)).toEqual([]);
    const [results] = h.fake.callsTo('chat.postMessage');
    expect(accepted(results)).toMatchObject({ ok: true });
    expect(results?.body.channel).toBe('C0HOME');
    // Ann (who set the group up), Bo and Cy are members; Bo and Cy voted.
    for (const line of [
      `Poll ${code} has closed: Which day suits you?`,
      'Most chosen: Tuesday (2 votes).',
      '2 of 3 members voted (67%).',
    ]) {
      expect(String(results?.body.text)).toContain(line);
      expect(shown(results)).toContain(line);
    }
  });
});
