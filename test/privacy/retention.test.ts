import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { ann, bo, privacyWorld, samira, type World } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
let world: World;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  world = privacyWorld(db, clock);
  await db.startFrom('Samira has left the group', async () => {
    await world.say(ann, 'setup --name "Leaflet group"');
    for (const p of [samira, bo]) {
      await world.joined(p);
      await world.say(p, 'buddy opt-in');
    }
    await world.app.handle({ kind: 'memberLeft', id: 'left-1', actor: samira, channelId: 'general' });
  });
});

const isKept = async (userId: string) =>
  (await db.db.select().from(schema.members).where(eq(schema.members.userId, userId))).length === 1;

/** What a running copro does at `at`: its sweeps (which plan the next daily run), then due jobs. */
async function tickAt(at: string) {
  clock.set(at);
  for (const sweep of world.app.sweeps) await sweep(db.db, clock.now());
  return world.scheduler.runDue();
}

async function saveSettings(values: { months: string; years: string }) {
  const opened = await world.say(ann, 'privacy settings');
  const form = opened.forms[0]!;
  const { event, said } = (await import('../support/events.js')).submitted(ann, form.id, values, form.state);
  const outcome = await world.app.handle(event);
  return { errors: outcome?.formErrors, text: said.map((s) => s.message.text).join('\n'), form };
}

describe('retention', () => {
  it('deletes what copro holds about someone 12 months after they left, and nobody else', async () => {
    await tickAt('2027-11-22T12:00:00Z');
    await tickAt('2027-11-23T03:00:00Z'); // 12 months less 7 hours: not yet
    expect(await isKept(samira.userId)).toBe(true);
    await tickAt('2027-11-24T03:00:00Z');
    expect(await isKept(samira.userId)).toBe(false);
    expect(await isKept(bo.userId)).toBe(true);
    const settings = await db.db.select().from(schema.buddySettings);
    expect(settings).toHaveLength(1);
  });

  it('keeps someone who left one group while they are still in another', async () => {
    await world.say(ann, 'setup --name "Second group"', 'second');
    // Samira is in the terminal's other channel too.
    await world.app.handle({ kind: 'memberJoined', id: 'join-2', actor: samira, channelId: 'second' });
    await tickAt('2028-01-01T02:00:00Z');
    await tickAt('2028-01-01T03:00:00Z');
    expect(await isKept(samira.userId)).toBe(true);
  });

  it('follows the group’s own settings, which only coordinators change, with plain answers for wrong values', async () => {
    const wrong = await saveSettings({ months: '0', years: 'x' });
    expect(wrong.errors).toEqual({
      months: 'Please give a whole number of months from 1 to 120.',
      years: 'Please give a whole number of years from 1 to 20.',
    });
    const tooLong = await saveSettings({ months: '1200', years: '121' });
    expect(tooLong.errors).toEqual(wrong.errors);
    expect(wrong.form.fields.map((f) => 'initial' in f && f.initial)).toEqual(['12', '6']);
    const saved = await saveSettings({ months: '1', years: '1' });
    expect(saved.text).toContain(
      'Saved. copro will delete what it holds about people 1 month after they leave. It keeps the record of what coordinators did for 1 year.',
    );
    expect((await world.say(bo, 'privacy settings')).text).toContain('Only coordinators');

    const audits = await db.db.select().from(schema.auditLog);
    expect(audits.length).toBeGreaterThan(0);
    await tickAt('2026-12-24T02:00:00Z');
    await tickAt('2026-12-24T03:00:00Z');
    expect(await isKept(samira.userId)).toBe(false);
    expect(await db.db.select().from(schema.auditLog)).toHaveLength(audits.length);
    await tickAt('2027-11-24T02:00:00Z');
    await tickAt('2027-11-24T03:00:00Z');
    expect(await db.db.select().from(schema.auditLog)).toEqual([]);
  });

  it('runs once after downtime, however many days were missed, then carries on daily', async () => {
    await tickAt('2026-11-24T02:00:00Z');
    clock.set('2028-03-01T12:00:00Z'); // copro was stopped for more than a year
    await world.scheduler.catchUp();
    await world.scheduler.runDue();
    const runs = await db.db.select().from(schema.jobs).where(eq(schema.jobs.kind, 'privacy.retention'));
    expect(runs.map((j) => j.status)).toEqual(['done']);
    expect(await isKept(samira.userId)).toBe(false);
    for (const sweep of world.app.sweeps) await sweep(db.db, clock.now());
    const pending = await db.db.select().from(schema.jobs).where(eq(schema.jobs.kind, 'privacy.retention'));
    expect(pending.filter((j) => j.status === 'pending').map((j) => j.runAt.toISOString())).toEqual([
      '2028-03-02T03:00:00.000Z',
    ]);
  });
});
