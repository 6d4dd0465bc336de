import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS } from '../../adapters/slack/index.js';
import { defaultFeatures } from '../../src/app.js';
import { buildRegistry } from '../../src/registry.js';
import { ANN, BO, CY, type Harness, startHarness } from '../slack/harness.js';
import {
  awkwardText,
  commandLine,
  damage,
  damaged,
  errorsIn,
  recordingLogger,
  runs,
  typedSoFar,
  uglyPart,
  withoutUnhandledRejections,
} from './support.js';

/**
 * Signed requests of every kind Slack sends, with random and missing fields, through the real
 * Bolt endpoint: none gets a 5xx, none leaves a promise rejected unheard, whatever copro says
 * back reads plainly, and /healthz still answers 200 afterwards.
 */
const { logger, lines } = recordingLogger();
let h: Harness;
let actionIds: string[] = [];
let formIds: string[] = [];
/** Codes of things in the group (a poll), so clicks can name something that exists. */
const known: string[] = [];
/** What every earlier request sent: its words may be quoted back in later answers. */
const earlier = typedSoFar();

beforeAll(async () => {
  h = await startHarness({ logger, outbox: true });
  const registry = buildRegistry(h.deps, defaultFeatures());
  actionIds = [...registry.actions.keys()];
  formIds = [...registry.forms.keys()];
  await h.driver.command('setup', { userId: ANN.id });
  await h.driver.command('join', { userId: BO.id });
  await h.driver.command('poll "Tea or coffee?" "Tea" "Coffee"', { userId: ANN.id });
  await h.slack.settled();
  known.push(...(JSON.stringify(h.fake.calls).match(/\bP[A-Z0-9]{2,5}\b/g) ?? []));
  expect(known.length).toBeGreaterThan(0);
});
afterAll(async () => h.close());

const users = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(ANN, BO, CY) },
  { weight: 1, arbitrary: awkwardText.map((id) => ({ id, name: id })) },
);
const channels = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('C0HOME', 'C0BOS', 'D0ANN') },
  { weight: 1, arbitrary: awkwardText },
);
const valueFor = () =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...known), fc.oneof(fc.integer({ min: -2, max: 5 }), awkwardText))
      .map(([c, n]) => `${c}:${n}`),
    fc.constantFrom(...known, '1', '0', ''),
    awkwardText,
  );
const actionId = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...actionIds) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...actionIds), fc.nat(9)).map(([a, n]) => `${a}#${n}`) },
    { weight: 1, arbitrary: awkwardText },
  );
const teamId = 'T0FAKE';

function who(user: { id: string; name: string }) {
  return { id: user.id, username: user.name, name: user.name, team_id: teamId };
}

const blockActions = () =>
  fc
    .record({
      user: users,
      channel: channels,
      onHome: fc.boolean(),
      action: actionId(),
      value: valueFor(),
      select: fc.boolean(),
    })
    .map(({ user, channel, onHome, action, value, select }) => ({
      type: 'block_actions',
      user: who(user),
      api_app_id: 'A0COPRO',
      trigger_id: `trig-${randomUUID()}`,
      team: { id: teamId, domain: 'fake' },
      ...(onHome
        ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home' } }
        : {
            container: { type: 'message', message_ts: '1700000000.000001', channel_id: channel },
            channel: { id: channel, name: 'coproduction' },
            message: { type: 'message', ts: '1700000000.000001', text: 'a message' },
            response_url: h.fake.responseUrl(`fuzz-${randomUUID()}`),
          }),
      actions: [
        {
          type: select ? 'static_select' : 'button',
          action_id: action,
          block_id: 'b1',
          ...(select ? { selected_option: { value } } : { value }),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    }));

const stateEntry = () =>
  fc.oneof(
    awkwardText.map((value) => ({ type: 'plain_text_input', value })),
    valueFor().map((value) => ({ type: 'static_select', selected_option: { value } })),
    fc.array(valueFor(), { maxLength: 4 }).map((v) => ({
      type: 'checkboxes',
      selected_options: v.map((value) => ({ value })),
    })),
    fc.constant({ type: 'plain_text_input', value: null }),
  );

const viewSubmission = () =>
  fc
    .record({
      user: users,
      form: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...formIds) },
        { weight: 1, arbitrary: awkwardText },
      ),
      fields: fc.dictionary(
        fc.oneof(fc.constantFrom('name', 'rank1', 'rank2', 'answer', 'q1'), awkwardText),
        stateEntry(),
        {
          maxKeys: 5,
        },
      ),
      state: fc.oneof(fc.constantFrom(...known), awkwardText),
      channel: channels,
      metadata: fc.constantFrom('json', 'raw', 'none'),
    })
    .map(({ user, form, fields, state, channel, metadata }) => ({
      type: 'view_submission',
      team: { id: teamId, domain: 'fake' },
      user: who(user),
      api_app_id: 'A0COPRO',
      trigger_id: `trig-${randomUUID()}`,
      view: {
        id: `V${randomUUID().slice(0, 8)}`,
        team_id: teamId,
        type: 'modal',
        callback_id: form,
        private_metadata:
          metadata === 'json' ? JSON.stringify({ s: state, c: channel }) : metadata === 'raw' ? state : '',
        hash: '1.hash',
        state: { values: Object.fromEntries(Object.entries(fields).map(([id, v]) => [id, { [id]: v }])) },
      },
      response_urls: [],
    }));

const eventCallback = () =>
  fc
    .record({
      type: fc.oneof(fc.constantFrom(...SLACK_EVENTS, 'message', 'app_mention', 'team_join'), awkwardText),
      user: users,
      channel: channels,
      tab: fc.constantFrom('home', 'messages', ''),
    })
    .map(({ type, user, channel, tab }) => ({
      token: 'legacy-verification-token',
      team_id: teamId,
      api_app_id: 'A0COPRO',
      event: { type, user: user.id, channel, tab, event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10)}`,
      event_time: Math.floor(Date.now() / 1000),
    }));

const slashCommand = () =>
  fc.record({ user: users, channel: channels, text: commandLine(known) }).map(({ user, channel, text }) => ({
    token: 'legacy-verification-token',
    team_id: teamId,
    team_domain: 'fake',
    channel_id: channel,
    channel_name: 'coproduction',
    user_id: user.id,
    user_name: user.name,
    command: '/copro',
    text,
    api_app_id: 'A0COPRO',
    response_url: h.fake.responseUrl(`fuzz-${randomUUID()}`),
    trigger_id: `trig-${randomUUID()}`,
  }));

type Request = { body: string; contentType: string; input: string };
const FORM = 'application/x-www-form-urlencoded';

/** A request Slack could send (or nearly): each kind, sometimes damaged, sometimes plain junk. */
const requests = (): fc.Arbitrary<Request> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(blockActions(), damage).map(([p, d]) => interactive(damaged(p, d))) },
    { weight: 3, arbitrary: fc.tuple(viewSubmission(), damage).map(([p, d]) => interactive(damaged(p, d))) },
    {
      weight: 2,
      arbitrary: fc.tuple(eventCallback(), damage).map(([p, d]) => {
        const body = JSON.stringify(damaged(p, d));
        return { body, contentType: 'application/json', input: body };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(slashCommand(), damage).map(([p, d]) => {
        const fields = damaged(p, d) as Record<string, unknown>;
        const body = new URLSearchParams(
          Object.entries(fields ?? {}).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : JSON.stringify(v),
          ]),
        ).toString();
        return { body, contentType: FORM, input: JSON.stringify(fields) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ type: fc.constantFrom('view_closed', 'shortcut') }))
        .map((p) => interactive(p)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(awkwardText, fc.constantFrom(FORM, 'application/json'))
        .map(([body, contentType]) => ({ body, contentType, input: body })),
    },
  );

function interactive(payload: unknown): Request {
  const json = JSON.stringify(payload) ?? 'null';
  return { body: new URLSearchParams({ payload: json }).toString(), contentType: FORM, input: json };
}

describe('random signed Slack requests', () => {
  it('never get a 5xx, leave no rejection unheard, answer plainly, and leave /healthz at 200', async () => {
    await fc.assert(
      fc.asyncProperty(requests(), async (request) => {
        lines.length = 0;
        const before = h.fake.calls.length;
        await withoutUnhandledRejections(async () => {
          const res = await h.driver.send(request.body, request.contentType);
          expect(res.status).toBeLessThan(500);
          await h.slack.settled();
        });
        earlier.add(request.input);
        for (const call of h.fake.calls.slice(before))
          expect(uglyPart(JSON.stringify(call.body), request.input, earlier.kinds)).toBeUndefined();
        expect(errorsIn(lines)).toEqual([]);
      }),
      { numRuns: runs(150) },
    );
    const health = await fetch(`http://127.0.0.1:${h.slack.port}/healthz`);
    expect(health.status).toBe(200);
  });
});
