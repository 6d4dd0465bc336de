import { asc, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { coreWith } from '../onboarding/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const [ann, bob, cat, dev, eve] = ['Ann', 'Bob', 'Cat', 'Dev', 'Eve'].map((name) => person(name));
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-11-23T10:00:00Z');
  core = coreWith(db, clock);
  await core.say(ann!, 'setup --name "Leaflet group"');
  for (const p of [bob, cat, dev, eve]) await core.joined(p!);
  await core.say(ann!, 'role add @bob buddy');
});

/** What each scheduler tick does before running due jobs. */
async function tick() {
  for (const sweep of core.app.sweeps) await sweep(db.db, clock.now());
}

async function introductions() {
  const rows = await db.db
    .select()
    .from(schema.outbox)
    .where(like(schema.outbox.purpose, 'buddy:intro:%'))
    .orderBy(asc(schema.outbox.id));
  return rows.map((r) => ({
    to: [...(r.destination as unknown as { userIds: string[] }).userIds].sort(),
    text: (r.message as unknown as Message).text,
  }));
}

describe('newcomers and their buddies', () => {
  it('a newcomer who asks is introduced to a free buddy at once, and sees them in their status', async () => {
    const asked = await core.say(cat!, 'buddy request');
    expect(asked.text).toContain('found you a buddy');
    const [intro] = await introductions();
    expect(intro?.to).toEqual(['bob', 'cat']);
    expect(intro?.text).toContain("<@bob> will be <@cat>'s buddy in Leaflet group");
    expect((await core.say(cat!, 'buddy status')).text).toContain('Your buddy is <@bob>.');
  });

  it('waits when every buddy is full, and pairs the newcomer as soon as a buddy is free', async () => {
    await core.say(bob!, 'buddy capacity 1');
    await core.say(cat!, 'buddy request');
    const waiting = await core.say(dev!, 'buddy request');
    expect(waiting.text).toContain('as soon as one is free');
    expect(await introductions()).toHaveLength(1);

    await core.say(ann!, 'role add @eve buddy');
    await tick();
    const intros = await introductions();
    expect(intros.map((i) => i.to)).toEqual([
      ['bob', 'cat'],
      ['dev', 'eve'],
    ]);
  });

  it('never gives a buddy more newcomers than they agreed to', async () => {
    await core.say(bob!, 'buddy capacity 2');
    for (const p of [cat, dev, eve]) await core.say(p!, 'buddy request');
    await tick();
    expect((await introductions()).filter((i) => i.to.includes('bob'))).toHaveLength(2);
  });
});
