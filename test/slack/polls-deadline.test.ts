import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { buttonsIn } from '../support/slack-buttons.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * The whole life of a ranked, anonymous poll with a deadline, as members live it in Slack: ranked
 * through the form, closed by the scheduler when its time comes, its results read plainly.
 * The clock is fixed and moved by hand; the scheduler and dispatcher run when the test says.
 */
const clock = fixedClock('2026-11-23T10:00:00Z'); // a Monday
let h: Harness;

const DI = { id: 'UDI', name: 'di' };
const ED = { id: 'UED', name: 'ed' };
const FAY = { id: 'UFAY', name: 'fay' };
const GUS = { id: 'UGUS', name: 'gus' };
const EXPERTS = [BO, CY, DI];
const RESEARCHERS = [ED, FAY, GUS];
const VOTERS = [...EXPERTS, ...RESEARCHERS];

beforeAll(async () => {
  h = await startHarness({ outbox: true, clock });
  for (const who of [DI, ED, FAY, GUS]) h.fake.addUser({ id: who.id, name: who.name });
});
beforeEach(async () => {
  await h.reset();
  clock.set('2026-11-23T10:00:00Z');
  await copro('setup', ANN);
  for (const who of EXPERTS) await copro(`role add <@${who.id}|${who.name}> expert by experience`, ANN);
  for (const who of RESEARCHERS) await copro(`role add <@${who.id}|${who.name}> researcher`, ANN);
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

/** Types /copro TEXT and returns the private answer. */
async function copro(text: string, user: { id: string }): Promise<string> {
  const { responseId } = await h.driver.command(text, { userId: user.id });
  await h.slack.settled();
  const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
  return String(answer?.body.text);
}

/** Presses "Rank the options", then fills the form with option indexes in order of priority. */
async function rank(user: { id: string; name: string }, ranking: number[], pollMessage: FakeSlackCall) {
  const [button] = buttonsIn(pollMessage);
  expect(button?.text.text).toBe('Rank the options');
  const opened = h.fake.callsTo('views.open').length;
  // Members take their time: a minute passes between presses (a quicker repeat is a double click).
  clock.advance(60_000);
  await h.driver.click({
    user,
    actionId: button!.action_id,
    value: button!.value,
    messageTs: (pollMessage.answer as { ts: string }).ts,
    actionTs: String(clock.now().getTime() / 1000),
  });
  const form = (await h.fake.waitFor('views.open', opened + 1))[opened]!;
  const view = form.body.view as { callback_id: string; private_metadata: string; blocks: Block[] };
  const values = Object.fromEntries(
    [0, 1, 2].map((place) => [
      `rank${place + 1}`,
      { type: 'static_select', selected: ranking[place] === undefined ? null : String(ranking[place]) },
    ]),
  );
  const submitted = await h.driver.submit({
    user,
    // The id Slack gave this opened form: two people's forms are never the same view.
    viewId: (form.answer as { view: { id: string } }).view.id,
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values,
  });
  expect(submitted).toMatchObject({ status: 200, text: '' });
  await h.slack.settled();
  return view;
}

type Block = { block_id: string; element?: { initial_option?: { value: string } } };
const inChannel = () =>
  h.fake.calls.filter(
    (c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === 'C0HOME',
  );

describe('a ranked, anonymous poll with a deadline in Slack', () => {
  it('is ranked by six members through the form, closes by itself on time, and reads plainly by role', async () => {
    expect(
      await copro(
        'poll "What should we study first?" "Sleep" "Pain" "Fatigue" --ranked --anonymous --closes 2d',
        ANN,
      ),
    ).toMatch(/^Your poll P\w+ is posted in <#C0HOME>\. It closes Wednesday 25 November at 10:00/);
    const [posted] = await h.fake.waitFor('chat.postMessage');
    const code = /Poll (P\w+)/.exec(String(posted?.body.text))?.[1];
    expect(String(posted?.body.text)).toContain(
      'Anonymous: no one can see who voted for what. Not even coordinators can.',
    );

    // Experts by experience rank Pain first; researchers mostly Sleep. Gus changes his mind.
    await rank(BO, [1, 2, 0], posted!);
    await rank(CY, [1, 0], posted!);
    await rank(DI, [2, 1, 0], posted!);
    await rank(ED, [0, 1, 2], posted!);
    await rank(FAY, [0, 2], posted!);
    await rank(GUS, [2, 1, 0], posted!);
    const again = await rank(GUS, [1, 0, 2], posted!);
    const first = again.blocks.find((b) => b.block_id === 'rank1');
    expect(first?.element?.initial_option?.value).toBe('2'); // the form shows his earlier ranking
    const thanks = h.fake.callsTo('chat.postEphemeral');
    expect(thanks.map((t) => t.body.user)).toEqual([...VOTERS.map((v) => v.id), GUS.id]);
    expect(String(thanks.at(-1)?.body.text)).toContain('1. Pain, 2. Sleep, 3. Fatigue');

    clock.advance(60_000);
    await h.dispatcher.dispatchDue();
    expect(String(h.fake.callsTo('chat.update').at(-1)?.body.text)).toContain('6 people voted so far.');

    // A day before the close, the only member who has not voted (Ann) gets a reminder.
    clock.set('2026-11-24T10:00:00Z');
    await h.scheduler.runDue();
    await h.dispatcher.dispatchDue();
    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual([ANN.id]);

    clock.set('2026-11-25T09:59:00Z');
    expect(await h.scheduler.runDue()).toMatchObject({ done: 0 });
    await h.dispatcher.dispatchDue();
    expect(inChannel().some((c) => String(c.body.text).includes('has closed'))).toBe(false);

    const beforeClose = inChannel();
    h.fake.clear();
    clock.set('2026-11-25T10:00:00Z');
    expect(await h.scheduler.runDue()).toMatchObject({ done: 1 });
    await h.dispatcher.dispatchDue();
    const [closed] = h.fake.callsTo('chat.update');
    expect(closed?.body).toMatchObject({ channel: 'C0HOME', ts: (posted!.answer as { ts: string }).ts });
    expect(String(closed?.body.text)).toContain(`Poll ${code} (closed): What should we study first?`);
    expect(buttonsIn(closed)).toEqual([]);
    expect(await copro(`poll close ${code}`, ANN)).toBe(`Poll ${code} is already closed. Nothing changed.`);

    const [results] = h.fake.callsTo('chat.postMessage');
    expect(results?.answer).toMatchObject({ ok: true, channel: 'C0HOME' });
    // Borda points with three options (2, 1, 0): Pain 8, Sleep 6, Fatigue 4.
    expect(String(results?.body.text).split('\n')).toEqual([
      `Poll ${code} has closed: What should we study first?`,
      'Top priority: Pain.',
      '1. Pain: 8 points (first choice of 3 people)',
      '2. Sleep: 6 points (first choice of 2 people)',
      '3. Fatigue: 4 points (first choice of 1 person)',
      '6 of 7 members voted (86%).',
      'How each role voted',
      '• expert by experience (3 people): 1. Pain, 2. Fatigue, 3. Sleep',
      '• researcher (3 people): 1. Sleep, 2. Pain, 3. Fatigue',
      "Roles with fewer than 3 voters are counted only in the total, so nobody's vote can be worked out.",
    ]);
    expect(JSON.stringify(results?.body.blocks)).toContain('How each role voted');

    // Every version of the poll message and its results, from first post to last: no voter named.
    const everything = JSON.stringify([...beforeClose, ...inChannel()].map((c) => c.body));
    expect(everything).toContain(`Poll ${code}`);
    for (const who of VOTERS) expect(everything).not.toContain(`<@${who.id}`);
  });
});
