import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../support/db.js';
import { type DbProxy, startDbProxy } from '../support/db-proxy.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { notExactlyOnce, rows, serverDb, sleep } from './support.js';

/**
 * Three copro processes (`npm start`'s program, Slack HTTP mode) share one Postgres database, as
 * replicas behind a load balancer would. Sixty groups' weekly digests fall due at once; the first
 * replica to queue a digest is killed with SIGKILL at that instant, inside its job's transaction.
 * Each group's channel must get its digest exactly once, from the two left.
 *
 * Each replica reaches the database through a proxy of its own: the proxy sees the digest's
 * message go in (its purpose, "digest:digest:…", is a parameter of the insert) and the test kills
 * that replica before the database has answered.
 */
const GROUPS = 60;
const REPLICAS = 3;
const ANN = { id: 'UANN', name: 'ann' };
const channels = Array.from({ length: GROUPS }, (_, i) => `C${String(i + 1).padStart(4, '0')}`);
const DIGEST = /quiet (week|few weeks) in|Weekly digest for/;

let fake: FakeSlack;
let db: TestDb;
const proxies: DbProxy[] = [];
const replicas: CoproProcess[] = [];

beforeAll(async () => {
  db = await serverDb();
  fake = await startFakeSlack({
    users: [{ id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' }],
  });
  const target = new URL(db.location);
  for (let i = 0; i < REPLICAS; i++)
    proxies.push(await startDbProxy(target.hostname, Number(target.port || 5432)));
  // One after another: three starting at once on two cores only make each slower.
  for (let i = 0; i < REPLICAS; i++) {
    replicas.push(
      await startSlackProcess(fake, {
        DATABASE_URL: proxies[i]!.urlFor(db.location),
        SLACK_API_URL: fake.apiUrlFor(`replica${i}`),
        LOG_LEVEL: 'warn',
      }),
    );
  }
});
afterAll(async () => {
  for (const replica of replicas) await replica.kill();
  for (const proxy of proxies) await proxy.close();
  await fake?.close();
  await db?.close();
});

describe('three replicas on one database, one killed with SIGKILL in the middle of the digests', () => {
  it('sends every group its digest exactly once', async () => {
    // Sixty groups, each set up in its own channel, the commands spread over the replicas.
    for (const [i, channelId] of channels.entries()) {
      const { response } = await replicas[i % REPLICAS]!.driver.command(`setup --name "Group ${i + 1}"`, {
        userId: ANN.id,
        channelId,
      });
      expect(response.status).toBe(200);
    }
    await until(
      async () =>
        (await rows<{ n: number }>(db, sql`select count(*)::int as n from groups`))[0]?.n === GROUPS &&
        (
          await rows<{ n: number }>(
            db,
            sql`select count(*)::int as n from jobs where kind = 'digest.send' and status = 'pending'`,
          )
        )[0]?.n === GROUPS,
      'every group to have its weekly digest scheduled',
      120_000,
    );

    // The first replica to queue a digest dies there, mid-transaction.
    let victim: number | undefined;
    for (const [i, proxy] of proxies.entries()) {
      proxy.watch('digest:digest:', () => {
        if (victim !== undefined) return;
        victim = i;
        replicas[i]!.child.kill('SIGKILL');
      });
    }
    await db.db.execute(
      sql`update jobs set run_at = now() - interval '1 minute' where kind = 'digest.send' and status = 'pending'`,
    );

    // Replicas run due jobs every 15 seconds; the two left take over the killed one's.
    await until(() => victim !== undefined, 'a replica to start on the digests', 120_000);
    await replicas[victim as number]!.exited;
    expect(replicas[victim as number]!.child.signalCode).toBe('SIGKILL');
    const digestsIn = () => {
      const counts = new Map<string, number>();
      for (const call of fake.callsTo('chat.postMessage')) {
        if (call.status !== 200 || !DIGEST.test(String(call.body.text))) continue;
        const channel = String(call.body.channel);
        counts.set(channel, (counts.get(channel) ?? 0) + 1);
      }
      return counts;
    };
    await until(() => digestsIn().size === GROUPS, 'a digest in every channel', 300_000);
    // Long enough for another scheduler tick and a lapsed claim to show up as a second copy.
    await sleep(20_000);

    expect(notExactlyOnce(digestsIn(), channels)).toEqual([]);
    expect(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => DIGEST.test(String(c.body.text)) && c.via === `replica${victim}`),
    ).toEqual([]);
    const jobs = await rows<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from jobs
          where kind = 'digest.send' and run_at < now() group by status`,
    );
    expect(jobs).toEqual([{ status: 'done', n: GROUPS }]);
    const messages = await rows<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from outbox where purpose like 'digest:%' group by status`,
    );
    expect(messages).toEqual([{ status: 'sent', n: GROUPS }]);
    for (const [i, replica] of replicas.entries())
      if (i !== victim) expect(replica.child.exitCode).toBeNull();
  });
});
