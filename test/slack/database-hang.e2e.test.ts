import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../src/config.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type HangingProxy, startHangingProxy } from '../support/hanging-proxy.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';

/**
 * `npm start` in Slack HTTP mode, its database server reached through a proxy the test can make
 * hang, as a network that stops answering would. Runs only with TEST_DATABASE_URL.
 */
const onServer = Boolean(testDatabaseUrl());
const ANN = { id: 'UANN', name: 'ann' };
let fake: FakeSlack;
let db: TestDb;
let proxy: HangingProxy;
let copro: CoproProcess | undefined;

beforeAll(async () => {
  if (!onServer) return;
  fake = await startFakeSlack({
    users: [{ id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' }],
  });
  db = await openTestDb();
  const target = new URL(db.location);
  proxy = await startHangingProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(db.location);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  copro = await startSlackProcess(fake, { DATABASE_URL: viaProxy.toString() });
});
afterAll(async () => {
  proxy?.release();
  await copro?.kill();
  await proxy?.close();
  await fake?.close();
  await db?.close();
});

describe.runIf(onServer)('a database that stops answering (on a Postgres server)', () => {
  it('makes /healthz answer 503 within 2 seconds, tells people plainly to try again later, and recovers alone', async () => {
    const running = copro as CoproProcess;
    expect(await running.health()).toBe(200);

    proxy.hang();
    const started = Date.now();
    expect(await running.health(10_000)).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);

    // Slack is answered in time; a database that may only be slow gets a while longer, then the
    // person is told plainly.
    const { response, responseId: hungId } = await running.driver.command('roles', { userId: ANN.id });
    expect(response.status).toBe(200);
    const told = await until(
      () => fake.callsTo('response_url').find((c) => c.responseUrlId === hungId),
      'the person to be told the database is out of reach',
      40_000,
    );
    expect(told.body.text).toBe(
      "copro can't reach its database right now, please try again in a few minutes. Nothing you did caused it.",
    );

    // An event that cannot be kept is not acknowledged, so Slack sends it again: it is told so
    // within Slack's 3 seconds, not left waiting.
    const sent = Date.now();
    const event = await running.driver.event({
      type: 'member_joined_channel',
      user: ANN.id,
      channel: 'C0HOME',
    });
    expect(event.status).toBe(503);
    expect(Date.now() - sent).toBeLessThan(3_500);

    proxy.release();
    await until(async () => (await running.health()) === 200, '/healthz to recover', 30_000);
    const { response: after, responseId } = await running.driver.command('help', { userId: ANN.id });
    expect(after.status).toBe(200);
    expect(after.text).toBe('');
    await until(
      () => fake.callsTo('response_url').some((c) => c.responseUrlId === responseId),
      'an answer once the database is back',
    );
    expect(running.child.exitCode).toBeNull();
  });
});
