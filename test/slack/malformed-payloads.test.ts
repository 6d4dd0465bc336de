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
