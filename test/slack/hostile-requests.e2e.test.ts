import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';

/**
 * `npm start` in Slack HTTP mode, sent properly signed requests whose bodies no Slack would send.
 * Each one is refused on its own; the process keeps serving everyone else.
 */
let fake: FakeSlack;
let copro: CoproProcess;
const ANN = { id: 'UANN', name: 'ann' };

beforeAll(async () => {
  fake = await startFakeSlack({
    users: [{ id: ANN.id, name: 'ann', displayName: 'Ann', isAdmin: true, tz: 'Europe/London' }],
  });
  copro = await startSlackProcess(fake, {});
});
afterAll(async () => {
  await copro?.kill();
  await fake?.close();
});

async function help(): Promise<string> {
  const { response, responseId } = await copro.driver.command('help', { userId: ANN.id });
  expect(response.status).toBe(200);
  const [answer] = await until(() => {
    const found = fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
    return found.length > 0 ? found : undefined;
  }, 'an answer to /copro help');
  return String(answer?.body.text);
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const bodies: [string, string, string][] = [
  ['JSON null', 'null', JSON_TYPE],
  ['a JSON array', '[]', JSON_TYPE],
  ['a JSON string', '"x"', JSON_TYPE],
  ['an empty JSON object', '{}', JSON_TYPE],
  ['truncated JSON', '{"type":"event_callback","event":{"type":"app_home_op', JSON_TYPE],
  ['payload=null', 'payload=null', FORM_TYPE],
  ['payload=[]', 'payload=%5B%5D', FORM_TYPE],
  ['a truncated payload', 'payload=%7B%22type%22%3A%22block_act', FORM_TYPE],
  ['binary', randomBytes(512).toString('latin1'), 'application/octet-stream'],
  ['3 MB of JSON', JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(3 * 1024 * 1024) }), JSON_TYPE],
];

describe('copro stays up whatever a signed request holds', () => {
  it('refuses signed bodies of null, [], "x", {}, payload=null, truncated JSON, binary and 3 MB, and keeps serving /healthz and commands', async () => {
    for (const [what, body, type] of bodies) {
      const res = await copro.driver.send(body, type);
      expect([200, 400, 413], what).toContain(res.status);
      expect(copro.child.exitCode, `still running after ${what}`).toBeNull();
      expect(await copro.health(), `/healthz after ${what}`).toBe(200);
    }
    expect(await help()).toContain('What copro can do');
    expect(copro.stderr()).not.toContain('uncaught');
  });
});
