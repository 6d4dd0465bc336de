import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { ANN, type Harness, rows, startHarness } from './harness.js';

/**
 * Interactive payloads that are signed but do not have the shape Slack documents. Each one is
 * answered at once with an empty 200 (so Slack shows the person no error), logged once, and
 * changes nothing.
 */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ logger: createLogger('info', sink) });
});
beforeEach(async () => {
  await h.reset();
  lines.length = 0;
});
afterAll(async () => {
  await h.close();
});

const user = { id: ANN.id, name: 'ann', username: 'ann', team_id: 'T0FAKE' };
const team = { id: 'T0FAKE', domain: 'fake' };

async function sendPayload(payload: unknown) {
  const started = Date.now();
  const res = await h.driver.send(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
  return { ...res, ms: Date.now() - started };
}

function warnings(): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => Number(l.level) >= 40);
}

const malformed: [string, unknown][] = [
  [
    'a view_submission whose state holds a null entry',
    {
      type: 'view_submission',
      user,
      team,
      view: { id: 'V1', callback_id: 'onboarding.profile', state: { values: { name: null } } },
    },
  ],
  ['a view_submission without its view', { type: 'view_submission', user, team }],
  ['a block_actions without any fields', { type: 'block_actions' }],
  ['a block_actions without actions', { type: 'block_actions', user, team, actions: [] }],
  ['a block_actions without a user', { type: 'block_actions', team, actions: [{ action_id: 'poll.vote' }] }],
  [
    'a block_actions whose action has no id',
    { type: 'block_actions', user, team, actions: [{ value: '1', action_ts: '1.0' }] },
  ],
  ['a payload of an unknown type', { type: 'something_new', user }],
  // Bolt takes any body holding an event for an Events API delivery.
  [
    'a block_actions that also holds an event of no known type',
    {
      type: 'block_actions',
      user,
      team,
      actions: [{ action_id: 'nothing.here', value: 'x' }],
      event: { type: 5 },
    },
  ],
  [
    'a block_actions that also holds an uninstall event',
    {
      type: 'block_actions',
      user,
      team,
      actions: [{ action_id: 'poll.vote' }],
      event: { type: 'app_uninstalled' },
    },
  ],
  ['a command that also holds an event', { command: '/copro', text: 'help', user_id: ANN.id, event: {} }],
  // And one holding "actions" for a click, one holding "name" for a menu's options.
  [
    'a view_submission that also holds actions',
    {
      type: 'view_submission',
      user,
      team,
      view: { id: 'V1', callback_id: 'onboarding.profile', state: { values: {} } },
      actions: [{ action_id: 'poll.vote', value: 'P1:0' }],
    },
  ],
  [
    'a view_submission that also holds a name',
    {
      type: 'view_submission',
      user,
      team,
      view: { id: 'V1', callback_id: 'onboarding.profile', state: { values: {} } },
      name: 'x',
    },
  ],
  [
    'a block_actions that also holds a name',
    { type: 'block_actions', user, team, actions: [{ action_id: 'nothing.here', value: 'x' }], name: 'x' },
  ],
];

describe('malformed interactive payloads', () => {
  for (const [what, payload] of malformed) {
    it(`acknowledges ${what} at once with an empty 200, logs it once, and changes nothing`, async () => {
      const res = await sendPayload(payload);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect(res.ms).toBeLessThan(2500);
      await h.slack.settled();
      expect(h.fake.calls).toEqual([]);
      expect(await rows(h.db, 'processed_events')).toEqual([]);
      expect(await rows(h.db, 'members')).toEqual([]);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const aboutIt = logged.filter((l) => String(l.msg).includes('Slack payload'));
      expect(aboutIt).toHaveLength(1);
      expect(warnings().filter((l) => l !== aboutIt[0] && Number(l.level) >= 50)).toEqual([]);
    });
  }

  it('still handles a well-formed click after malformed ones', async () => {
    for (const [, payload] of malformed) await sendPayload(payload);
    const { response } = await h.driver.click({ user: ANN, actionId: 'no.such.button', value: '1' });
    expect(response.status).toBe(200);
    await h.slack.settled();
    expect(h.fake.callsTo('response_url')).toHaveLength(1);
  });
});

describe('commands and events Slack would never send', () => {
  const command = (fields: Record<string, string>) =>
    h.driver.send(
      new URLSearchParams({
        team_id: 'T0FAKE',
        channel_id: 'C0HOME',
        user_id: ANN.id,
        command: '/copro',
        text: 'help',
        trigger_id: 't1',
        ...fields,
      }).toString(),
      'application/x-www-form-urlencoded',
    );

  it.each([
    ['without a response_url', {}],
    ['whose response_url is not an address', { response_url: 'not a url' }],
    ['whose response_url is a bare scheme', { response_url: 'A: ' }],
  ])('acknowledges a command %s, logs it once, and answers nothing', async (_what, fields) => {
    const res = await command(fields);
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(h.fake.calls).toEqual([]);
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it('acknowledges a click whose response_url is not an address, logs it once, and changes nothing', async () => {
    const res = await sendPayload({
      type: 'block_actions',
      user,
      team,
      response_url: 'not a url',
      actions: [{ action_id: 'poll.vote', value: 'P1:0' }],
    });
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(await rows(h.db, 'members')).toEqual([]);
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it('ignores a tokens_revoked event without its tokens, and erases nothing', async () => {
    await h.driver.command('setup', { userId: ANN.id });
    await h.slack.settled();
    lines.length = 0;
    const res = await h.driver.event({ type: 'tokens_revoked' });
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(await rows(h.db, 'groups')).toHaveLength(1);
    expect(await rows(h.db, 'removed_workspaces')).toEqual([]);
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it.each([
    ['whose type is empty', { type: '', channel: 'C0HOME' }],
    ['whose user is null', { type: 'reaction_added', user: null }],
    ['whose channel is a number', { type: 'channel_created', channel: 5 }],
    ['whose item is null', { type: 'reaction_added', user: ANN.id, item: null }],
    ['opening the home tab with a channel of null', { type: 'app_home_opened', user: ANN.id, channel: null }],
  ])('ignores an event %s, logging it once as a warning', async (_what, event) => {
    const res = await h.driver.event(event);
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it.each([
    ['an event from a workspace named "constructor"', { team_id: 'constructor' }],
    ['an event whose authorizations hold null', { authorizations: [null] }],
  ])('ignores %s, logging it once as a warning', async (_what, fields) => {
    const body = {
      token: 'legacy-verification-token',
      team_id: 'T0FAKE',
      api_app_id: 'A0COPRO',
      event: { type: 'app_home_opened', user: ANN.id, tab: 'home', event_ts: '1.1' },
      type: 'event_callback',
      event_id: 'Ev0WORKSPACE',
      event_time: 1,
      ...fields,
    };
    const res = await h.driver.send(JSON.stringify(body), 'application/json');
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(h.fake.calls).toEqual([]);
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it('ignores a form answer whose response_urls is null, and changes nothing', async () => {
    const res = await sendPayload({
      type: 'view_submission',
      user,
      team,
      view: { id: 'V1', callback_id: 'group.settings', state: { values: {} } },
      response_urls: null,
    });
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(await rows(h.db, 'members')).toEqual([]);
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it('ignores a click from a workspace named "__proto__", and changes nothing', async () => {
    const res = await sendPayload({
      type: 'block_actions',
      user,
      team: { id: '__proto__' },
      actions: [{ action_id: 'poll.vote', value: 'P1:0' }],
    });
    expect(res.status).toBe(200);
    await h.slack.settled();
    expect(await rows(h.db, 'members')).toEqual([]);
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });

  it('answers a command holding a NUL character in words, as it answers any hidden character', async () => {
    const { response, responseId } = await h.driver.command('feedback "tea\u0000"', { userId: ANN.id });
    expect(response.status).toBe(200);
    await h.slack.settled();
    const [answer] = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    expect(answer?.body.text).toMatch(/^What you typed has a hidden control character in it/);
    expect(warnings()).toEqual([]);
  });

  it('ignores a command from a channel whose id is thousands of characters long, and logs no error', async () => {
    // Its form would carry the channel in a state Slack caps at 3,000 characters.
    const { response } = await h.driver.command('privacy settings', {
      userId: ANN.id,
      channelId: 'C'.repeat(5_000),
    });
    expect(response.status).toBe(200);
    await h.slack.settled();
    expect(warnings().map((l) => l.msg)).toEqual(['ignored a Slack payload copro cannot use']);
  });
});
