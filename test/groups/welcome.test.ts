import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform, rejected } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person, typed } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-21T10:00:00Z');
let platform: ReturnType<typeof recordingPlatform>;
let app: ReturnType<typeof createApp>;
const deliver = () =>
  createDispatcher({
    db: db.db,
    clock,
    logger: silentLogger(),
    platforms: { console: platform },
  }).dispatchDue();

const joined = (actor: Actor, id: string = randomUUID()) =>
  app.handle({ kind: 'memberJoined', id, actor, channelId: 'general' });

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  platform = recordingPlatform(clock, 'console');
  app = createApp({ db: db.db, clock, logger: silentLogger(), platforms: { console: platform } });
  await app.handle(typed(person('Ann'), 'setup --name "Leaflet group"').event);
});

describe('someone joining the home channel', () => {
  it('gets one friendly welcome message that says what the group is and how to start', async () => {
    await joined(person('Sam'), 'join-1');
    await joined(person('Sam'), 'join-1'); // the platform delivers the same event again
    await deliver();
    const dms = platform.posts().filter((p) => p.to?.kind === 'dm' && p.to.userId === 'sam');
    expect(dms).toHaveLength(1);
    expect(dms[0]?.to).toMatchObject({ kind: 'dm', userId: 'sam' });
    expect(dms[0]?.text).toContain('Welcome to Leaflet group');
    expect(dms[0]?.text).toContain('/copro join');
    expect(dms[0]?.text).toContain('Ask <@ann>, the coordinator');
  });

  it('still joins the group when their direct messages are closed', async () => {
    platform.failNext(rejected());
    await expect(joined(person('Bo'))).resolves.toBeUndefined();
    await deliver();
    const rows = await db.db.select().from(schema.groupMembers);
    expect(rows).toHaveLength(2);
  });

  it('gets nothing in a channel that is not a group', async () => {
    await app.handle({ kind: 'memberJoined', id: randomUUID(), actor: person('Cy'), channelId: 'random' });
    await deliver();
    expect(platform.posts()).toHaveLength(0);
  });
});

describe('help on Discord', () => {
  it('explains how Discord shows the boxes to fill in, and how to separate poll answers', async () => {
    const { event, said } = typed(person('Ann', { platform: 'discord', workspaceId: 'G1' }), 'help');
    await app.handle(event);
    expect(said[0]?.message.text).toContain('separated by semicolons');
  });
});

describe('someone joining while the channel is being set up', () => {
  it('is welcomed and counted once setup has finished', async () => {
    await db.reset();
    const joiners = ['Dee', 'Eli', 'Fay', 'Gus', 'Hal'].map((name) => person(name));
    // Setup typed, and people joining a moment later, while it is still being handled. (On a
    // server, where their statements run beside setup's; PGlite takes them one after another.)
    await Promise.all([
      app.handle(typed(person('Ann'), 'setup --name "Leaflet group"').event),
      ...joiners.map((p) => joined(p)),
    ]);
    await deliver();
    const members = await db.db.select().from(schema.groupMembers);
    expect(members).toHaveLength(1 + joiners.length);
    const welcomed = platform.posts().filter((p) => p.to?.kind === 'dm' && p.text?.includes('Welcome to'));
    expect(welcomed.map((p) => (p.to?.kind === 'dm' ? p.to.userId : '')).sort()).toEqual(
      joiners.map((p) => p.userId).sort(),
    );
  });
});
