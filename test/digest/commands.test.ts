import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { driver } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-10-21T10:00:00Z'); // a Wednesday, in British Summer Time
let run: ReturnType<typeof driver>;
let deps: AppDeps;
const ann = person('Ann');
const bo = person('Bo');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-10-21T10:00:00Z');
  deps = { db: db.db, clock, logger: silentLogger(), platforms: {} };
  run = driver(deps);
  await run(ann, 'setup --timezone Europe/London --name "Leaflet group"');
});

async function pendingDigests() {
  const rows = await db.db.select().from(schema.jobs).where(eq(schema.jobs.status, 'pending'));
  return rows.filter((r) => r.kind === 'digest.send').map((r) => r.runAt.toISOString());
}

describe('/copro digest schedule', () => {
  it('answers a coordinator, privately, with the next three send times in the group timezone', async () => {
    const answer = await run(ann, 'digest schedule "mon 09:00"');
    expect(answer.private).toBe(true);
    expect(answer.text.split('\n')).toEqual([
      'Done. The weekly digest will go out on Mondays at 09:00, Europe/London time. The next three:',
      '- Monday 26 October 2026 at 09:00 (Europe/London time)',
      '- Monday 2 November 2026 at 09:00 (Europe/London time)',
      '- Monday 9 November 2026 at 09:00 (Europe/London time)',
    ]);
    expect(await pendingDigests()).toEqual(['2026-10-26T09:00:00.000Z']);
  });

  it('moves the pending digest when the time changes, leaving one', async () => {
    await run(ann, 'digest schedule "mon 09:00"');
    const answer = await run(ann, 'digest schedule "friday 2:30pm"');
    expect(answer.text).toContain('Fridays at 14:30');
    expect(answer.text).toContain('- Friday 23 October 2026 at 14:30 (Europe/London time)');
    expect(await pendingDigests()).toEqual(['2026-10-23T13:30:00.000Z']);
  });

  it('asks again, with an example, when it cannot read the time', async () => {
    const answer = await run(ann, 'digest schedule "sometime soon"');
    expect(answer.private).toBe(true);
    expect(answer.text).toContain('I could not read "sometime soon" as a day and a time');
    expect(answer.text).toContain('/copro digest schedule "mon 09:00"');
  });

  it('is only for coordinators, and says who to ask', async () => {
    await run(bo, 'roles');
    const answer = await run(bo, 'digest schedule "tue 10:00"');
    expect(answer.text).toContain('<@ann>');
    expect(await pendingDigests()).toEqual([]);
  });
});

describe('/copro digest preview', () => {
  it("shows any member this week's digest, privately, with when it will be sent", async () => {
    await run(bo, 'roles');
    const answer = await run(bo, 'digest preview');
    expect(answer.private).toBe(true);
    expect(answer.text).toContain('This is a preview that only you can see.');
    expect(answer.text).toContain('Monday 26 October 2026 at 09:00 (Europe/London time)');
    expect(answer.text).toContain('Welcome to Ann and Bo, who joined this week.');
    expect(await db.db.select().from(schema.outbox)).toHaveLength(0);
  });
});

describe('/copro digest preview, for someone in another timezone', () => {
  it('shows the times in their own timezone, and says so', async () => {
    const ben = person('Ben', { timezone: 'America/New_York' });
    await run(ben, 'roles');
    const answer = await run(ben, 'digest preview');
    expect(answer.text).toContain(
      'The digest goes to the channel on Monday 26 October 2026 at 05:00 (America/New_York time). Times are in your timezone (America/New_York).',
    );
  });
});

describe('/copro digest now', () => {
  it('sends the digest to the group channel once, and the next weekly one starts from there', async () => {
    const answer = await run(ann, 'digest now');
    expect(answer.text).toContain('on its way to <#general>');
    const console = recordingPlatform(clock, 'console');
    await createDispatcher({
      db: db.db,
      clock,
      logger: silentLogger(),
      platforms: { console },
    }).dispatchDue();
    expect(console.posts()).toHaveLength(1);
    expect(console.posts()[0]!.to).toMatchObject({ kind: 'channel', channelId: 'general' });
    expect(console.posts()[0]!.text).toContain('Welcome to Ann, who joined this week.');

    clock.advance(60_000);
    const preview = await run(ann, 'digest preview');
    expect(preview.text).toContain('A quiet week in Leaflet group');
  });

  it('is only for coordinators', async () => {
    await run(bo, 'roles');
    const answer = await run(bo, 'digest now');
    expect(answer.text).toContain('<@ann>');
    expect(await db.db.select().from(schema.outbox)).toHaveLength(0);
  });
});
