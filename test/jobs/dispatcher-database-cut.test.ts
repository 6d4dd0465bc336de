import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDb, openDb } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { testDatabaseUrl } from '../../src/config.js';
import { createDispatcher, enqueueMessage } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';
import { channel, outboxRows, recordingPlatform, text } from './support.js';

/**
 * The database cut off while the platform takes a message: the platform has it, and copro cannot
 * yet write down that it does. Given up then, the row stayed claimed, and once the claim ran out
 * (a minute) the message went again: a poll posted twice. The cut is the proxy's (server only).
 */
describe.runIf(testDatabaseUrl())('a message the platform accepted while the database was cut off', () => {
  let test: TestDb;
  let proxy: DbProxy;
  let opened: OpenedDb;
  const clock = fixedClock('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    test = await openTestDb();
    const target = new URL(test.location);
    proxy = await startDbProxy(target.hostname, Number(target.port || 5432));
    opened = await openDb({ databaseUrl: proxy.urlFor(test.location), dataDir: '', maxConnections: 2 });
  });
  afterAll(async () => {
    proxy?.restore();
    await opened?.close();
    await proxy?.close();
    await test?.close();
  });

  it('is recorded as sent once the database is back, and never sent again', async () => {
    const slack = recordingPlatform(clock);
    const leaseMs = 60_000;
    const dispatcher = createDispatcher({
      db: opened.db,
      clock,
      logger: silentLogger(),
      platforms: { slack },
      leaseMs,
    });
    await opened.db.transaction((tx) =>
      enqueueMessage(tx, clock.now(), {
        purpose: 'poll:1',
        platform: 'slack',
        destination: channel('C1'),
        message: text('Which day suits you?'),
      }),
    );
    // The platform takes the message as the database goes, for two seconds.
    const post = slack.post.bind(slack);
    slack.post = async (to, message) => {
      const ref = await post(to, message);
      proxy.cut();
      setTimeout(() => proxy.restore(), 2_000);
      return ref;
    };
    const first = await dispatcher.dispatchDue();
    expect(first.posted).toBe(1);
    const [row] = await outboxRows(test.db);
    expect(row?.status).toBe('sent');

    // Long after the claim would have run out, nothing is sent again.
    clock.advance(leaseMs * 2);
    await dispatcher.dispatchDue();
    expect(slack.posts().map((p) => p.text)).toEqual(['Which day suits you?']);
  });
});
