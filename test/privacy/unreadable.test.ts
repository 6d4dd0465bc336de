import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { defaultFeatures } from '../../src/app.js';
import { sealAccessNeeds } from '../../src/onboarding/sensitive.js';
import { unreadableAtStart } from '../../src/privacy/unreadable-at-start.js';
import { personalDataOf } from '../../src/registry.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { sealedTheOldWay } from './support.js';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const declarations = personalDataOf(defaultFeatures());

describe('access needs no key given opens, counted before copro starts', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    const [group] = await db.db
      .insert(schema.groups)
      .values({ platform: 'console', workspaceId: 'w', homeChannelId: 'general', name: 'Key group' })
      .returning();
    const needs = { choices: ['step-free'], other: 'A quiet room' };
    for (const [i, oldWay] of [false, true].entries()) {
      const [member] = await db.db
        .insert(schema.members)
        .values({ platform: 'console', workspaceId: 'w', userId: `u${i}`, displayName: `U${i}` })
        .returning();
      const groupId = group!.id;
      const memberId = member!.id;
      const accessNeedsSealed = oldWay
        ? sealedTheOldWay(OLD, JSON.stringify(needs), `onboarding.access:${groupId}:${memberId}`)
        : sealAccessNeeds(OLD, groupId, memberId, needs);
      await db.db.insert(schema.onboardingProfiles).values({ groupId, memberId, accessNeedsSealed });
    }
  });
  afterAll(async () => db.close());

  const count = async (key?: { current: Buffer; previous?: Buffer }) =>
    (await unreadableAtStart(db.db, declarations, key))?.count ?? 0;

  it('counts every one without a key, and values from before keys were named under another key', async () => {
    expect(await count()).toBe(2);
    expect(await count({ current: NEW })).toBe(2);
  });

  it('counts none under the key that sealed them, or with it given as the previous key', async () => {
    expect(await count({ current: OLD })).toBe(0);
    expect(await count({ current: NEW, previous: OLD })).toBe(0);
  });
});
