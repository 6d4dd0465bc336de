import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { composeDigest } from '../../src/digest/index.js';
import { newMembersAndRoles } from '../../src/groups/digest.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person } from '../support/events.js';
import { driver } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-10-14T10:00:00Z');
let run: ReturnType<typeof driver>;
let deps: AppDeps;
const ann = person('Ann');
const sam = person('Sam');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-10-14T10:00:00Z');
  deps = { db: db.db, clock, logger: silentLogger(), platforms: {} };
  run = driver(deps);
  await run(ann, 'setup --name "Leaflet group"');
  await run(sam, 'roles');
});

async function digestText() {
  const [group] = await db.db.select().from(schema.groups);
  const digest = await composeDigest({
    db: db.db,
    group: group!,
    since: new Date('2026-10-12T00:00:00Z'),
    until: new Date('2026-10-19T00:00:00Z'),
    sections: [newMembersAndRoles],
  });
  return [digest.message.text, JSON.stringify(digest.message.blocks)].join('\n');
}

describe('the weekly digest and private roles', () => {
  it('never names someone given expert by experience or carer who has not chosen to show it', async () => {
    await run(ann, 'role add @sam expert by experience');
    await run(ann, 'role add @sam carer');
    await run(ann, 'role add @sam researcher');
    const text = await digestText();
    expect(text).toContain('Sam is now a researcher.');
    expect(text).not.toContain('expert by experience');
    expect(text).not.toContain('carer');
  });

  it('never says that someone stopped holding a private role', async () => {
    await run(ann, 'role add @sam carer');
    clock.set('2026-10-20T10:00:00Z');
    await run(ann, 'role remove @sam carer');
    const [group] = await db.db.select().from(schema.groups);
    const digest = await composeDigest({
      db: db.db,
      group: group!,
      since: new Date('2026-10-19T00:00:00Z'),
      until: new Date('2026-10-26T00:00:00Z'),
      sections: [newMembersAndRoles],
    });
    expect(digest.message.text).not.toContain('carer');
  });

  it('names the holder once they have chosen to show the role to the group', async () => {
    await run(ann, 'role add @sam carer');
    const profile = await run(sam, 'profile');
    const show = profile.message.blocks
      ?.flatMap((b) => (b.type === 'buttons' ? b.buttons : []))
      .find((b) => b.actionId === 'role.visibility');
    const { event } = clicked(sam, show!.actionId, show!.value);
    await createApp(deps).handle(event);
    expect(await digestText()).toContain('Sam is now a carer.');
  });
});
