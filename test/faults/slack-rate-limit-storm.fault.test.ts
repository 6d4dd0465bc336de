import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type CoproProcess, startSlackProcess, until } from '../support/slack-process.js';
import { rows, serverDb } from './support.js';

/**
 * `npm start` in Slack HTTP mode while Slack answers every chat.postMessage with 429 for a minute,
 * each time with Retry-After: 3. Three groups each start five polls in a row during the storm.
 * Once it passes, every poll must be in its channel once, in the order it was started, and no
 * call may have come back before its Retry-After ran out.
 */
const ANN = { id: 'UANN', name: 'ann' };
const CHANNELS = ['C0RED', 'C0GREEN', 'C0BLUE'];
const POLLS = 5;
const STORM_MS = 60_000;

let fake: FakeSlack;
let db: TestDb;
let copro: CoproProcess;

beforeAll(async () => {
  db = await serverDb();
  fake = await startFakeSlack({
    users: [{ id: ANN.id, name: ANN.name, displayName: 'Ann', isAdmin: true, tz: 'Europe/London' }],
  });
  copro = await startSlackProcess(fake, { DATABASE_URL: db.location, LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  await copro?.kill();
  await fake?.close();
  await db?.close();
});

const question = (channel: string, n: number) => `Question ${n} for ${channel}?`;

describe('a storm of 429s from Slack', () => {
  it('sends nothing before Retry-After, loses nothing, and keeps each channel in order', async () => {
    const { driver } = copro;
    for (const channelId of CHANNELS) {
      const { response } = await driver.command(`setup --name "Group ${channelId}"`, {
        userId: ANN.id,
        channelId,
      });
      expect(response.status).toBe(200);
    }
    await until(
      async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from groups`))[0]?.n === 3,
      'the groups to be set up',
      60_000,
    );

    fake.storm('chat.postMessage', { forMs: STORM_MS, retryAfter: 3 });
    const stormEnds = Date.now() + STORM_MS;
    // Each channel's polls one after another, each once copro has said it is posted (as a person
    // would wait for the answer); the three channels side by side.
    await Promise.all(
      CHANNELS.map(async (channelId) => {
        for (let n = 1; n <= POLLS; n++) {
          const { response, responseId } = await driver.command(
            `poll "${question(channelId, n)}" "Yes" "No"`,
            { userId: ANN.id, channelId },
          );
          expect(response.status).toBe(200);
          const answer = await until(
            () => fake.callsTo('response_url').find((c) => c.responseUrlId === responseId),
            'copro to answer the poll command',
            60_000,
          );
          expect(String(answer.body.text)).toContain(`is posted in <#${channelId}>`);
        }
      }),
    );

    const posted = (channelId: string) =>
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.status === 200 && c.body.channel === channelId)
        .flatMap((c) => /Question \d+ for \w+\?/.exec(String(c.body.text)) ?? []);
    await until(
      () => CHANNELS.every((c) => posted(c).length >= POLLS),
      'every poll to be posted once the storm has passed',
      STORM_MS + 240_000,
    ).catch(async (error: Error) => {
      // What was queued and what arrived, to see where a poll went.
      const queued = await rows(
        db,
        sql`select id, purpose, status, attempts, last_error from outbox order by id`,
      );
      const arrived = CHANNELS.map((c) => `${c}: ${posted(c).join(' | ')}`);
      throw new Error(`${error.message}\n${JSON.stringify(queued)}\n${arrived.join('\n')}`);
    });
    expect(Date.now()).toBeGreaterThanOrEqual(stormEnds);

    // The storm did refuse posts, and none came back too soon.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(fake.earlyCalls()).toEqual([]);
    for (const channelId of CHANNELS)
      expect(posted(channelId)).toEqual(Array.from({ length: POLLS }, (_, i) => question(channelId, i + 1)));
    // Nobody was told a message could not be delivered, and none was given up on.
    expect(await rows(db, sql`select purpose, status, last_error from outbox where status = 'dead'`)).toEqual(
      [],
    );
    expect(fake.calls.filter((c) => String(c.body.text ?? '').includes('could not deliver'))).toEqual([]);
  });
});
