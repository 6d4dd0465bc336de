import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE_TEXT } from '../../src/errors.js';
import type { TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { rows, serverDb } from './support.js';

/**
 * `npm start` in Slack HTTP mode, its database 2.5 seconds away: everything it sends Postgres
 * arrives 2.5 s late (a proxy holds it), as over a badly congested link. Fifty people type a
 * command at the same moment. Slack gives up on a command not acknowledged within 3 seconds and
 * shows an error, so each must be acknowledged within 3 s; the answers come later, through
 * response_url. Only the acknowledgement is timed: that is the deadline Slack keeps.
 *
 * The command is `help poll`: each is kept, handled once (a transaction) and let go, about six
 * round trips. Copro handles four deliveries at a time, so at 2.5 s a round trip the last answer
 * comes minutes later; a command that reads more (`roles`, about twenty round trips) would make
 * the wait, not the behaviour, the thing under test.
 */
const PEOPLE = 50;
const LATENCY_MS = 2_500;
const ANN = { id: 'UANN', name: 'ann' };
const people = Array.from({ length: PEOPLE }, (_, i) => ({
  id: `UP${String(i).padStart(3, '0')}`,
  name: `p${i}`,
}));

let fake: FakeSlack;
let db: TestDb;
let proxy: DbProxy;
let copro: CoproProcess;

beforeAll(async () => {
  db = await serverDb();
  fake = await startFakeSlack({
    users: [
      { id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' },
      ...people.map((p) => ({ id: p.id, name: p.name, displayName: p.name })),
    ],
  });
  const target = new URL(db.location);
  proxy = await startDbProxy(target.hostname, Number(target.port || 5432));
  copro = await startSlackProcess(fake, { DATABASE_URL: proxy.urlFor(db.location), LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  proxy?.delay(0);
  await copro?.kill();
  await proxy?.close();
  await fake?.close();
  await db?.close();
});

describe('a database 2.5 seconds away, and fifty commands at once', () => {
  it('acknowledges every command within 3 seconds and answers each through response_url', async () => {
    const { driver } = copro;
    await driver.command('setup --name "Slow Group"', { userId: ANN.id, channelId: 'C0HOME' });
    await until(
      async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from groups`))[0]?.n === 1,
      'the group to be set up',
      60_000,
    );

    // Open the connection pool first, as a copro that has been running a while has: a new
    // connection 2.5 s away takes several round trips to open, which is another fault.
    const warmUp = await Promise.all(people.map((p) => driver.command('help poll', { userId: p.id })));
    await until(
      () => warmUp.every((w) => fake.callsTo('response_url').some((c) => c.responseUrlId === w.responseId)),
      'the warm-up commands to be answered',
      120_000,
    );

    proxy.delay(LATENCY_MS);
    const asked = await Promise.all(
      people.map(async (person) => {
        const started = Date.now();
        const { response, responseId } = await driver.command('help poll', { userId: person.id });
        return {
          person,
          status: response.status,
          ackMs: Date.now() - started,
          ack: response.json,
          responseId,
        };
      }),
    );

    expect(asked.filter((a) => a.status !== 200)).toEqual([]);
    const late = asked.filter((a) => a.ackMs >= 3_000).map((a) => `${a.person.id}: ${a.ackMs} ms`);
    expect(late).toEqual([]);
    // Nobody was told the database is out of reach: it is slow, not gone.
    expect(asked.filter((a) => JSON.stringify(a.ack ?? '').includes("can't reach"))).toEqual([]);

    const answerTo = (responseId: string) =>
      fake.callsTo('response_url').find((c) => c.responseUrlId === responseId);
    await until(
      () => asked.every((a) => answerTo(a.responseId)),
      'an answer to every command',
      // 2.5 s a round trip, four commands at a time: minutes, more on a busy machine.
      540_000,
    ).catch((error: Error) => {
      const answered = asked.filter((a) => answerTo(a.responseId)).length;
      throw new Error(
        `${error.message}: ${answered} of ${asked.length} answered\n${copro.stderr().slice(-3000)}`,
      );
    });

    const refused = asked.filter((a) => answerTo(a.responseId)?.body.text === DATABASE_UNAVAILABLE_TEXT);
    if (refused.length > 0)
      throw new Error(`${refused.length} told the database is out of reach\n${copro.stderr().slice(-4000)}`);
    for (const a of asked) {
      const text = String(answerTo(a.responseId)?.body.text);
      expect(text).toContain('/copro poll');
    }
    expect(copro.child.exitCode).toBeNull();
  });
});
