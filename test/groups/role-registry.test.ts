import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp, defaultFeatures } from '../../src/app.js';
import type { Actor, EventHandler } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person, typed } from '../support/events.js';

let db: TestDb;
let handle: EventHandler;
const clock = fixedClock('2026-11-21T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');

async function run(actor: Actor, text: string, channel = 'general') {
  const { event, said } = typed(actor, text, channel);
  await handle(event);
  expect(said).toHaveLength(1);
  const answer = said[0]!;
  return { text: answer.message.text, private: answer.private };
}

async function currentRoles(name: string) {
  const rows = await db.db
    .select({ role: schema.roleAssignments.roleKey })
    .from(schema.roleAssignments)
    .innerJoin(schema.members, eq(schema.members.id, schema.roleAssignments.memberId))
    .where(and(eq(schema.members.userId, name), isNull(schema.roleAssignments.removedAt)));
  return rows.map((r) => r.role).sort();
}

beforeAll(async () => {
  db = await openTestDb();
  handle = createApp({ db: db.db, clock, logger: silentLogger(), platforms: {} }).handle;
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  await run(ann, 'setup --timezone Europe/London --name "Leaflet group"');
});

describe('setup', () => {
  it('makes the first person to run it the coordinator, and announces it to the channel', async () => {
    expect(await currentRoles('ann')).toEqual(['coordinator', 'member']);
    const [group] = await db.db.select().from(schema.groups);
    expect(group).toMatchObject({
      name: 'Leaflet group',
      timezone: 'Europe/London',
      homeChannelId: 'general',
    });
  });

  it('changes nothing when someone else runs it again', async () => {
    const answer = await run(sam, 'setup');
    expect(answer.text).toContain('already the home of Leaflet group');
    expect(answer.text).toContain('<@ann>');
    expect(await currentRoles('sam')).toEqual([]);
    expect(await db.db.select().from(schema.groups)).toHaveLength(1);
  });

  it('refuses a timezone it does not know, and creates no group', async () => {
    const answer = await run(ann, 'setup --timezone Mars/Olympus', 'other');
    expect(answer.text).toContain('not a timezone');
    expect(await db.db.select().from(schema.groups)).toHaveLength(1);
  });

  it('lets only a workspace admin start a group where the platform says who admins are', async () => {
    const answer = await run(person('Cy', { isPlatformAdmin: false }), 'setup', 'other');
    expect(answer).toEqual({
      private: true,
      text: expect.stringContaining('Only a workspace admin, or the person who created this channel,'),
    });
    expect(await db.db.select().from(schema.groups)).toHaveLength(1);
  });
});

describe('role changes', () => {
  it('lets a coordinator give a role, answering privately and writing an audit row', async () => {
    const answer = await run(ann, 'role add @sam researcher');
    expect(answer).toEqual({ private: true, text: 'Done: <@sam> is now a researcher.' });
    expect(await currentRoles('sam')).toEqual(['member', 'researcher']);
    const audit = await db.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'role.add'));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toEqual({ role: 'researcher' });
  });

  it('understands a role name of several words without quotes', async () => {
    await run(ann, 'role add @sam expert by experience');
    expect(await currentRoles('sam')).toContain('expert-by-experience');
  });

  it('refuses a member who tries to add a role, naming the coordinator, and changes nothing', async () => {
    await run(sam, 'roles');
    const answer = await run(sam, 'role add @bo carer');
    expect(answer.text).toBe(
      'Only coordinators can use /copro role add. Ask <@ann>, who coordinates this group.',
    );
    expect(await currentRoles('bo')).toEqual([]);
    expect(
      await db.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'role.add')),
    ).toHaveLength(0);
  });

  it('says plainly when a role does not exist, and how to create it', async () => {
    const answer = await run(ann, 'role add @sam astronaut');
    expect(answer.text).toContain('This group has no role called "astronaut"');
    expect(answer.text).toContain('/copro role define');
  });

  it('does nothing twice: giving a role someone holds changes nothing', async () => {
    await run(ann, 'role add @sam researcher');
    const again = await run(ann, 'role add @sam researcher');
    expect(again.text).toContain('already a researcher. Nothing changed.');
    expect(
      await db.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'role.add')),
    ).toHaveLength(1);
  });

  it('keeps a removed role as history', async () => {
    clock.advance(60_000);
    await run(ann, 'role add @sam researcher');
    await run(ann, 'role remove @sam researcher');
    expect(await currentRoles('sam')).toEqual(['member']);
    const history = await db.db
      .select()
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.roleKey, 'researcher'));
    expect(history).toHaveLength(1);
    expect(history[0]?.removedAt).toEqual(clock.now());
  });

  it('never removes the last coordinator', async () => {
    const answer = await run(ann, 'role remove @ann coordinator');
    expect(answer.text).toContain('the only coordinator');
    expect(await currentRoles('ann')).toContain('coordinator');
  });

  it('lets a coordinator step down once someone else coordinates', async () => {
    await run(ann, 'role add @bo coordinator');
    await run(bo, 'role remove @ann coordinator');
    expect(await currentRoles('ann')).toEqual(['member']);
    const refused = await run(ann, 'role add @sam researcher');
    expect(refused.text).toContain('Ask <@bo>');
  });
});

describe('role definitions', () => {
  it('lets a coordinator define a role that can then be given', async () => {
    const answer = await run(ann, 'role define "lay reviewer" "Reads drafts and says what is unclear"');
    expect(answer.text).toContain('New role "lay reviewer"');
    await run(ann, 'role add @sam lay reviewer');
    expect(await currentRoles('sam')).toContain('lay-reviewer');
    const roles = await run(sam, 'roles');
    expect(roles.text).toContain('lay reviewer: <@sam>');
  });

  it('rewords a built-in role and records the old wording', async () => {
    await run(ann, 'role define researcher "Leads the study with the group"');
    const roles = await run(ann, 'roles');
    expect(roles.text).toContain('researcher');
    const [entry] = await db.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, 'role.redefine'));
    expect(entry?.details).toMatchObject({ role: 'researcher', before: expect.stringContaining('Plans') });
  });

  it('lists every role with what it involves and who holds it', async () => {
    await run(ann, 'role add <@sam|Sam> clinician');
    const { event, said } = typed(bo, 'roles');
    await handle(event);
    const blocks = said[0]?.message.blocks ?? [];
    const clinician = blocks.find((b) => b.type === 'text' && b.text.startsWith('**clinician**'));
    expect(clinician).toEqual({
      type: 'text',
      text: expect.stringMatching(/Gives care as their job.*\nHeld by: <@sam>/s),
    });
  });
});

describe('commands outside a group', () => {
  it('explains how to start a group when there is none', async () => {
    await db.reset();
    const answer = await run(sam, 'roles', 'elsewhere');
    expect(answer.text).toContain('There is no copro group here yet');
  });

  it('answers a command that is not built yet plainly, as coming soon, without repeating its syntax', async () => {
    // Every command is built today: a copro without its involvement records stands in.
    const without = createApp(
      { db: db.db, clock, logger: silentLogger(), platforms: {} },
      defaultFeatures().filter((f) => f.name !== 'involvement'),
    );
    const { event, said } = typed(ann, 'report --from 2026-04-01 --csv', 'general');
    await without.handle(event);
    const answer = { text: said[0]?.message.text };
    expect(answer.text).toBe(
      '/copro report (a report of hours, payments and what changed) is coming soon: it is not ready yet. Type /copro help to see what you can do today.',
    );
  });

  it('never shows a stack trace: an unexpected failure gets a reference', async () => {
    const broken = createApp({ db: db.db, clock, logger: silentLogger(), platforms: {} }, [
      {
        name: 'broken roles',
        commands: {
          roles: async () => {
            throw new Error('boom at line 12');
          },
        },
      },
    ]).handle;
    const { event, said } = typed(ann, 'roles');
    await broken(event);
    expect(said[0]?.message.text).toMatch(/^Something went wrong on our side \(ref [A-Z2-9]{5}\)/);
    expect(said[0]?.message.text).not.toContain('boom');
  });
});

describe('names', () => {
  it('keeps the name someone uses themselves when others mention them by handle', async () => {
    await run(sam, 'roles'); // Sam acts once, as "Sam"
    await run(ann, 'role add @SAM carer');
    const [row] = await db.db.select().from(schema.members).where(eq(schema.members.userId, 'sam'));
    expect(row?.displayName).toBe('Sam');
  });
});
