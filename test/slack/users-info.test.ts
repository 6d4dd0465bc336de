import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLeanFetch } from '../../adapters/slack/lean-fetch.js';
import { createUsersInfo } from '../../adapters/slack/users-info.js';
import { failure } from '../support/delivery-error.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

/** users.info is asked without the WebClient; it must fail as the WebClient's calls fail. */
let fake: FakeSlack;
const { fetch } = createLeanFetch({ answerReadMs: 300 });
const usersInfo = () => createUsersInfo(fetch, fake.botToken, fake.apiUrl);

/** A server that answers every request with `answer`, or never when `answer` is undefined. */
async function serving(answer?: (res: import('node:http').ServerResponse) => void): Promise<Server> {
  const server = createServer((_req, res) => answer?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const apiOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.addUser({ id: 'UDEE', name: 'dee', displayName: 'Dee Dawson', tz: 'Europe/London' });
});
beforeEach(() => {
  fake.clear();
  fake.grantScopes(['chat:write', 'users:read', 'im:write', 'commands']);
});
afterAll(async () => {
  await fake.close();
});

describe('asking Slack who someone is', () => {
  it('sends the bot token and the person, and gives back what Slack knows of them', async () => {
    const user = await usersInfo()('UDEE');
    expect(user).toMatchObject({ id: 'UDEE', tz: 'Europe/London', profile: { display_name: 'Dee Dawson' } });
    const [call] = fake.callsTo('users.info');
    expect(call?.token).toBe(fake.botToken);
    expect(call?.body.user).toBe('UDEE');
  });

  it('is refused, not retried, when Slack does not know the person or the token lacks users:read', async () => {
    expect(await failure(usersInfo()('UNOBODY'))).toMatchObject({ reason: 'rejected' });
    fake.grantScopes(['chat:write']);
    const refused = await failure(usersInfo()('UDEE'));
    expect(refused).toMatchObject({ reason: 'rejected' });
    expect(refused.message).toMatch(/missing_scope/);
  });

  it("waits as long as Slack's Retry-After asks after a 429", async () => {
    fake.failNext('users.info', { status: 429, retryAfter: 7 });
    expect(await failure(usersInfo()('UDEE'))).toMatchObject({ reason: 'rate_limited', retryAfterMs: 7_000 });
  });

  it('calls Slack unavailable when it answers 503, answers something other than JSON, or cannot be reached', async () => {
    fake.failNext('users.info', { status: 503 });
    expect(await failure(usersInfo()('UDEE'))).toMatchObject({ reason: 'unavailable' });
    const html = await serving((res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'));
    try {
      expect(await failure(createUsersInfo(fetch, 'xoxb-t', apiOf(html))('UDEE'))).toMatchObject({
        reason: 'unavailable',
      });
    } finally {
      html.close();
    }
    expect(await failure(createUsersInfo(fetch, 'xoxb-t', 'http://127.0.0.1:1/api/')('UDEE'))).toMatchObject({
      reason: 'unavailable',
    });
  });

  it('leaves out what is of the wrong kind: a name that is not text, a timezone no clock knows', async () => {
    const odd = await serving((res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ok: true,
          user: { id: 'UODD', name: 'odd', tz: 'Mars/Olympus', profile: { display_name: { evil: 1 } } },
        }),
      ),
    );
    try {
      expect(await createUsersInfo(fetch, 'xoxb-t', apiOf(odd))('UODD')).toEqual({
        id: 'UODD',
        name: 'odd',
        profile: {},
      });
    } finally {
      odd.close();
    }
  });

  it('gives up on an answer that never comes, instead of holding the click for ever', async () => {
    const silent = await serving();
    try {
      const started = Date.now();
      expect(await failure(createUsersInfo(fetch, 'xoxb-t', apiOf(silent))('UDEE'))).toMatchObject({
        reason: 'unavailable',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
