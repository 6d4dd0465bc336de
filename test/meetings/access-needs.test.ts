import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { sealAccessNeeds } from '../../src/onboarding/sensitive.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { meetingWorld } from './support.js';

const KEY = randomBytes(32);
let db: TestDb;
let w: ReturnType<typeof meetingWorld>;
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');

/** A member's access needs, stored as onboarding stores them: sealed, after consent. */
async function shares(who: string, choices: string[], other = '') {
  const [group] = await db.db.select().from(schema.groups);
  const [member] = await db.db.select().from(schema.members).where(eq(schema.members.userId, who));
  await db.db.insert(schema.onboardingProfiles).values({
    groupId: group!.id,
    memberId: member!.id,
    accessConsentAt: new Date('2026-11-01T10:00:00Z'),
    accessNeedsSealed: sealAccessNeeds(KEY, group!.id, member!.id, { choices, other }),
  });
}

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  w = meetingWorld(db, undefined, { encryptionKey: KEY });
  w.clock.set('2026-12-01T10:00:00Z');
  await w.say(ann, 'setup');
  await w.joins(sam);
  await w.joins(bo);
  await shares('sam', ['papers-early', 'large-print'], 'Mornings are hard');
  await shares('bo', ['papers-early', 'captions']);
});

describe('access needs when planning a meeting', () => {
  it('shows the coordinator counts, never names, and when papers are due', async () => {
    const answer = await w.say(ann, 'meeting new "Leaflet review" "15 December 2026 2pm"');
    expect(answer).toContain(
      'Access needs members shared, to plan for (numbers, not names): 2 members asked for papers a week ahead. 1 member asked for large print. 1 member asked for captions. 1 member described needs in their own words.',
    );
    expect(answer).toContain(
      '2 members asked for papers a week ahead, so papers are due by Tuesday 8 December at 14:00.',
    );
    expect(answer).not.toMatch(/sam|bo|Mornings/i);
  });

  it('names the meeting in what to type when papers are due at once, and where to add a place', async () => {
    const answer = await w.say(ann, 'meeting new "Leaflet review" "3 December 2026 2pm"');
    const code = /Meeting (M\w+):/.exec(answer)![1];
    expect(answer).toContain(
      `2 members asked for papers a week ahead, so papers are due now: add them with /copro meeting papers ${code} "link".`,
    );
    expect(answer).toContain(`Where: not given yet (add it with /copro meeting edit ${code}).`);
  });

  it('reminds the coordinators once, when the agenda is posted, if no papers were added', async () => {
    const code = /Meeting (M\w+):/.exec(
      await w.say(ann, 'meeting new "Leaflet review" "15 December 2026 2pm"'),
    )![1];
    w.clock.set('2026-12-08T14:00:00Z');
    await w.tick();
    w.restart();
    await w.scheduler.catchUp();
    await w.tick();
    const reminders = w.platform
      .posts()
      .filter((p) => p.to?.kind === 'dm' && p.text.includes('no papers yet'));
    expect(reminders.map((r) => r.to)).toEqual([expect.objectContaining({ userId: 'ann' })]);
    expect(reminders[0]!.text).toContain(
      `2 members asked for papers a week ahead. Add them with /copro meeting papers ${code}`,
    );
  });

  it('says nothing of papers when they were added in time', async () => {
    const code = /Meeting (M\w+):/.exec(
      await w.say(ann, 'meeting new "Leaflet review" "15 December 2026 2pm"'),
    )![1];
    await w.say(ann, `meeting papers ${code} "https://example.org/p.pdf"`);
    w.clock.set('2026-12-08T14:00:00Z');
    await w.tick();
    expect(w.platform.posts().filter((p) => p.text.includes('no papers yet'))).toEqual([]);
  });
});
