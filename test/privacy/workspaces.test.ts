import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { ann, bo, privacyWorld, type World } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
let world: World;
const ola = person('Ola', { workspaceId: 'other' });
const pat = person('Pat', { workspaceId: 'other' });
const otherWorkspace: Actor = {
  platform: 'console',
  workspaceId: 'other',
  userId: '',
  displayName: 'the workspace',
};

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-11-23T10:00:00Z');
  world = privacyWorld(db, clock);
  for (const [coordinator, member] of [
    [ann, bo],
    [ola, pat],
  ] as const) {
    await world.say(coordinator, 'setup --name "Leaflet group"');
    await world.joined(member);
    await world.say(coordinator, 'poll "Which day suits you?" "Monday" "Friday" --closes 3d');
  }
});

async function groupOf(workspaceId: string) {
  const [g] = await db.db.select().from(schema.groups).where(eq(schema.groups.workspaceId, workspaceId));
  return g!;
}
async function pendingJobs(workspaceId: string) {
  const g = await groupOf(workspaceId);
  return db.db
    .select()
    .from(schema.jobs)
    .where(and(eq(schema.jobs.groupId, g.id), eq(schema.jobs.status, 'pending')));
}
async function pendingMessages(workspaceId: string) {
  const g = await groupOf(workspaceId);
  return db.db
    .select()
    .from(schema.outbox)
    .where(and(eq(schema.outbox.groupId, g.id), eq(schema.outbox.status, 'pending')));
}
async function tickAt(at: string) {
  clock.set(at);
  for (const sweep of world.app.sweeps) await sweep(db.db, clock.now());
  await world.scheduler.runDue();
}

describe('a workspace that removes copro', () => {
  it('stops every job and message of that workspace at once, and of no other', async () => {
    const localJobs = (await pendingJobs('local')).length;
    const localMessages = (await pendingMessages('local')).length;
    expect((await pendingJobs('other')).length).toBeGreaterThan(0);
    expect((await pendingMessages('other')).length).toBeGreaterThan(0);

    await world.app.handle({ kind: 'workspaceRemoved', id: 'removed-1', actor: otherWorkspace });
    expect(await pendingJobs('other')).toEqual([]);
    expect(await pendingMessages('other')).toEqual([]);
    expect(await pendingJobs('local')).toHaveLength(localJobs);
    expect(await pendingMessages('local')).toHaveLength(localMessages);

    // Later ticks plan new work (a weekly digest) for every group; none of it stays for "other".
    await tickAt('2026-11-30T10:00:00Z');
    expect(await pendingJobs('other')).toEqual([]);
    expect((await pendingJobs('local')).some((j) => j.kind === 'digest.send')).toBe(true);
    await world.dispatcher.dispatchDue();
    expect(world.platform.posts().every((p) => p.to?.workspaceId !== 'other')).toBe(true);
  });

  it('erases everything about that workspace after the grace period, and nothing of the others', async () => {
    await world.app.handle({ kind: 'workspaceRemoved', id: 'removed-1', actor: otherWorkspace });
    await tickAt('2026-12-22T10:00:00Z'); // 29 days: still kept
    expect((await db.db.select().from(schema.groups)).map((g) => g.workspaceId).sort()).toEqual([
      'local',
      'other',
    ]);
    await tickAt('2026-12-23T10:01:00Z');
    expect((await db.db.select().from(schema.groups)).map((g) => g.workspaceId)).toEqual(['local']);
    const people = await db.db.select().from(schema.members);
    expect(people.map((m) => m.workspaceId)).toEqual(people.map(() => 'local'));
    expect(people.map((m) => m.userId).sort()).toEqual(['ann', 'bo']);
    const polls = await db.db.select().from(schema.polls);
    expect(polls).toHaveLength(1);
    expect(await db.db.select().from(schema.removedWorkspaces)).toEqual([]);
    const left = await db.db
      .select()
      .from(schema.outbox)
      .where(inArray(schema.outbox.platform, ['console']));
    expect(left.every((o) => !JSON.stringify(o).includes('"other"'))).toBe(true);
  });

  it('keeps the workspace when copro is added back and set up again before the grace period ends', async () => {
    await world.app.handle({ kind: 'workspaceRemoved', id: 'removed-1', actor: otherWorkspace });
    await tickAt('2026-12-01T10:00:00Z');
    await world.say(ola, 'setup');
    expect(await db.db.select().from(schema.removedWorkspaces)).toEqual([]);
    await tickAt('2027-01-10T10:00:00Z');
    expect((await db.db.select().from(schema.groups)).map((g) => g.workspaceId).sort()).toEqual([
      'local',
      'other',
    ]);
    expect((await pendingJobs('other')).some((j) => j.kind === 'digest.send')).toBe(true);
  });
});
