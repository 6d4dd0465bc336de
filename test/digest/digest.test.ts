import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { composeDigest, type DigestSectionBuilder, ensureDigestsScheduled } from '../../src/digest/index.js';
import { newMembersAndRoles } from '../../src/groups/digest.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { driver } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-10-14T10:00:00Z');
let deps: AppDeps;
let run: ReturnType<typeof driver>;
const ann = person('Ann');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-10-14T10:00:00Z'); // a Wednesday
  deps = { db: db.db, clock, logger: silentLogger(), platforms: {} };
  run = driver(deps);
  await run(ann, 'setup --timezone Europe/London --name "Leaflet group"');
});

/** Role changes written as the role registry records them (a console mention would rename the person). */
async function giveRole(userId: string, roleKey: string) {
  const [m] = await db.db.select().from(schema.members).where(eq(schema.members.userId, userId));
  const g = await group();
  await db.db
    .insert(schema.roleAssignments)
    .values({ groupId: g.id, memberId: m!.id, roleKey, assignedAt: clock.now() });
}

async function takeRole(userId: string, roleKey: string) {
  const [m] = await db.db.select().from(schema.members).where(eq(schema.members.userId, userId));
  await db.db
    .update(schema.roleAssignments)
    .set({ removedAt: clock.now() })
    .where(
      and(
        eq(schema.roleAssignments.memberId, m!.id),
        eq(schema.roleAssignments.roleKey, roleKey),
        isNull(schema.roleAssignments.removedAt),
      ),
    );
}

async function group() {
  const [g] = await db.db.select().from(schema.groups);
  return g!;
}

function machinery() {
  const console = recordingPlatform(clock, 'console');
  const options = { db: db.db, clock, logger: silentLogger() };
  const app = createApp({ ...options, platforms: { console } });
  const scheduler = createScheduler({ ...options, handlers: app.jobs, sweeps: app.sweeps });
  const dispatcher = createDispatcher({ ...options, platforms: { console } });
  return { console, scheduler, dispatcher };
}

async function tick(m: ReturnType<typeof machinery>) {
  await ensureDigestsScheduled(db.db, clock.now());
  await m.scheduler.runDue();
  await m.dispatcher.dispatchDue();
}

describe('the weekly digest job', () => {
  it('gives every group exactly one next digest, however many replicas sweep', async () => {
    await ensureDigestsScheduled(db.db, clock.now());
    await ensureDigestsScheduled(db.db, clock.now());
    await Promise.all([
      ensureDigestsScheduled(db.db, clock.now()),
      ensureDigestsScheduled(db.db, clock.now()),
    ]);
    const pending = await db.db.select().from(schema.jobs).where(eq(schema.jobs.status, 'pending'));
    expect(pending.map((j) => [j.kind, j.runAt.toISOString()])).toEqual([
      ['digest.send', '2026-10-19T08:00:00.000Z'],
    ]);
  });

  it('goes out at 09:00 London time on Mondays either side of the change from summer time', async () => {
    const m = machinery();
    clock.set('2026-10-19T07:59:59Z'); // Monday 08:59:59 BST
    await tick(m);
    expect(m.console.posts()).toHaveLength(0);
    clock.set('2026-10-19T08:00:00Z'); // 09:00 BST
    await tick(m);
    expect(m.console.posts()).toHaveLength(1);
    expect(m.console.posts()[0]!.to).toMatchObject({ kind: 'channel', channelId: 'general' });

    clock.set('2026-10-26T08:00:00Z'); // Monday 08:00 GMT: an hour early by the new clocks
    await tick(m);
    expect(m.console.posts()).toHaveLength(1);
    clock.set('2026-10-26T09:00:00Z'); // 09:00 GMT
    await tick(m);
    expect(m.console.posts().map((p) => p.at)).toEqual([
      Date.parse('2026-10-19T08:00:00Z'),
      Date.parse('2026-10-26T09:00:00Z'),
    ]);
  });

  it("sends groups whose digests fall due together each a digest of its own week, naming no one else's", async () => {
    await run(ann, 'setup --timezone Europe/London --name "Garden group"', 'garden');
    await run(person('Bo'), 'roles', 'general');
    await run(person('Cy'), 'roles', 'garden');
    await run(ann, 'poll "Which leaflet cover?" "Blue" "Green"', 'general');
    await run(ann, 'poll "Which seeds?" "Beans" "Peas"', 'garden');
    const m = machinery();
    await tick(m); // schedules the digests, and sends the polls' own messages
    const before = m.console.posts().length;
    clock.set('2026-10-19T08:00:00Z');
    await tick(m);
    const posts = m.console.posts().slice(before);
    expect(posts.map((p) => p.to)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channelId: 'general' }),
        expect.objectContaining({ channelId: 'garden' }),
      ]),
    );
    expect(posts).toHaveLength(2);
    const to = (channelId: string) =>
      posts.find((p) => p.to?.kind === 'channel' && p.to.channelId === channelId)!.text;
    expect(to('general')).toContain('Weekly digest for Leaflet group');
    expect(to('general')).toContain('Welcome to Ann and Bo');
    expect(to('general')).toContain('Which leaflet cover?');
    expect(to('general')).not.toMatch(/Garden|Cy|seeds/);
    expect(to('garden')).toContain('Weekly digest for Garden group');
    expect(to('garden')).toContain('Welcome to Ann and Cy');
    expect(to('garden')).toContain('Which seeds?');
    expect(to('garden')).not.toMatch(/Leaflet|Bo\b|leaflet/);
  });

  it('after a restart past the digest time, sends the missed digest once, saying it covers the missed weeks', async () => {
    const first = machinery();
    await first.scheduler.start(); // schedules Monday 19 October
    await first.scheduler.stop();
    // copro is down for three Mondays, and comes back on Tuesday 3 November.
    clock.set('2026-11-03T10:00:00Z');
    const second = machinery();
    await second.scheduler.start();
    await second.scheduler.stop();
    await second.dispatcher.dispatchDue();
    const third = machinery();
    await third.scheduler.start();
    await third.scheduler.stop();
    await third.dispatcher.dispatchDue();

    const sent = [...second.console.posts(), ...third.console.posts()];
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('covers the 3 weeks since');
    const pending = await db.db
      .select()
      .from(schema.jobs)
      .where(and(eq(schema.jobs.status, 'pending'), eq(schema.jobs.kind, 'digest.send')));
    expect(pending.map((j) => j.runAt.toISOString())).toEqual(['2026-11-09T09:00:00.000Z']);
  });
});

describe('what the digest says', () => {
  /** Sections as other features would bring them: the digest shows whatever it is given, in order. */
  const fixed =
    (title: string, ...lines: string[]): DigestSectionBuilder =>
    async () => ({ title, lines });
  const busy = [
    newMembersAndRoles,
    fixed('Coming up', 'Group meeting: Tuesday 20 October at 14:00, Room 2. 3 items on the agenda.'),
    async () => undefined, // a feature with nothing to say this week
    fixed('Buddy pairs', 'Bo and Cy are now buddies.'),
  ];

  it('in a busy week, gives each section in short plain sentences', async () => {
    clock.set('2026-10-16T10:00:00Z');
    await run(person('Bo'), 'roles');
    await run(person('Cy'), 'roles');
    await giveRole('bo', 'researcher');
    clock.set('2026-10-19T08:00:00Z');
    const digest = await composeDigest({
      db: db.db,
      group: await group(),
      since: new Date('2026-10-12T08:00:00Z'),
      until: clock.now(),
      sections: busy,
    });
    expect(digest.quiet).toBe(false);
    expect(digest.message.text.split('\n')).toEqual([
      'Weekly digest for Leaflet group',
      'What happened in the week to Monday 19 October.',
      '',
      'New members and roles:',
      '- Welcome to Ann, Bo and Cy, who joined this week.',
      '- Ann is now a coordinator.',
      '- Bo is now a researcher.',
      '',
      'Coming up:',
      '- Group meeting: Tuesday 20 October at 14:00, Room 2. 3 items on the agenda.',
      '',
      'Buddy pairs:',
      '- Bo and Cy are now buddies.',
    ]);
  });

  it('in a quiet week, is one short line', async () => {
    const digest = await composeDigest({
      db: db.db,
      group: await group(),
      since: new Date('2026-10-26T09:00:00Z'),
      until: new Date('2026-11-02T09:00:00Z'),
      sections: busy.slice(0, 1),
    });
    expect(digest.quiet).toBe(true);
    expect(digest.message.text).toBe('A quiet week in Leaflet group: nothing new to report.');
    expect(digest.message.blocks).toHaveLength(1);
  });

  it('leaves out a role given and taken back within the week, and reports one taken away', async () => {
    clock.set('2026-10-15T10:00:00Z');
    await run(person('Bo'), 'roles');
    await giveRole('bo', 'carer');
    clock.advance(60_000);
    await takeRole('bo', 'carer');
    await giveRole('bo', 'clinician');
    const g = await group();
    const lastWeek = await composeDigest({
      db: db.db,
      group: g,
      since: new Date('2026-10-12T00:00:00Z'),
      until: new Date('2026-10-19T00:00:00Z'),
      sections: [newMembersAndRoles],
    });
    expect(lastWeek.message.text).not.toContain('carer');
    clock.set('2026-10-21T10:00:00Z');
    await takeRole('bo', 'clinician');
    const thisWeek = await composeDigest({
      db: db.db,
      group: g,
      since: new Date('2026-10-19T00:00:00Z'),
      until: new Date('2026-10-26T00:00:00Z'),
      sections: [newMembersAndRoles],
    });
    expect(thisWeek.message.text).toContain('- Bo is no longer a clinician.');
  });

  it('stays within Slack and Discord limits in a very busy week', async () => {
    clock.set('2026-10-15T10:00:00Z');
    // Twenty newcomers are more than the digest names; more only makes the test slower.
    for (let i = 0; i < 20; i++) await run(person(`Person${i}`), 'roles');
    const many = fixed(
      'Open polls',
      ...Array.from({ length: 40 }, (_, i) => `Question ${i} ${'about the leaflet '.repeat(30)} is open.`),
    );
    const digest = await composeDigest({
      db: db.db,
      group: await group(),
      since: new Date('2026-10-12T00:00:00Z'),
      until: new Date('2026-10-19T00:00:00Z'),
      sections: [newMembersAndRoles, many],
    });
    const blocks = digest.message.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if (b.type === 'text') expect(b.text.length).toBeLessThanOrEqual(3_000);
    expect(digest.message.text.length).toBeLessThanOrEqual(3_000);
    const text = blocks.map((b) => ('text' in b ? b.text : '')).join('\n');
    expect(text).toContain('and 12 others, who joined this week.');
    expect(text).toContain('…and 33 more.');
  });
});
