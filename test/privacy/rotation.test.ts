import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { openAccessNeeds, sealAccessNeeds } from '../../src/onboarding/sensitive.js';
import { notUnder, rotateSealed } from '../../src/privacy/rotation.js';
import { schemaTables } from '../../src/privacy/schema-columns.js';
import { keyId, unseal } from '../../src/privacy/sealed.js';
import { storedVoterSecret } from '../../src/voter-secret.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { declarations as allDeclarations } from './coverage.js';
import { ann, privacyWorld, samira, sealedTheOldWay } from './support.js';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const declarations = allDeclarations();

const words = (i: number) => `Member ${i} needs step-free access, quietly`;

describe('the columns the key change reseals', () => {
  it('are every column named *_sealed, each declared by exactly one feature', () => {
    const inSchema = schemaTables().flatMap((t) => {
      const { name, columns } = getTableConfig(t);
      return columns.filter((c) => c.name.endsWith('_sealed')).map((c) => `${name}.${c.name}`);
    });
    const declared = declarations.flatMap((d) => (d.sealed ?? []).map((c) => c.column));
    expect(inSchema.length).toBeGreaterThanOrEqual(3);
    expect([...declared].sort()).toEqual([...inSchema].sort());
  });

  it('are sealed with the new key, and name it, while the old one is still known', () => {
    const value = sealAccessNeeds({ current: NEW, previous: OLD }, 1, 2, { choices: [], other: 'x' });
    expect(value.startsWith(`v2.${keyId(NEW)}.`)).toBe(true);
    expect(keyId(NEW)).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('changing the encryption key', () => {
  let db: TestDb;
  let groupId: number;
  const memberIds: number[] = [];
  beforeAll(async () => {
    db = await openTestDb();
    const [group] = await db.db
      .insert(schema.groups)
      .values({ platform: 'console', workspaceId: 'w', homeChannelId: 'general', name: 'Rotation group' })
      .returning();
    groupId = group!.id;
    for (let i = 0; i < 11; i++) {
      const [member] = await db.db
        .insert(schema.members)
        .values({ platform: 'console', workspaceId: 'w', userId: `u${i}`, displayName: `U${i}` })
        .returning();
      memberIds.push(member!.id);
      const needs = { choices: ['step-free'], other: words(i) };
      // Three of them were stored before values named their key.
      const accessNeedsSealed =
        i < 3
          ? sealedTheOldWay(OLD, JSON.stringify(needs), `onboarding.access:${groupId}:${member!.id}`)
          : sealAccessNeeds(OLD, groupId, member!.id, needs);
      await db.db
        .insert(schema.onboardingProfiles)
        .values({ groupId, memberId: member!.id, accessNeedsSealed });
    }
    await storedVoterSecret(db.db, OLD);
  });
  afterAll(async () => db.close());

  const needsOf = async (key: Parameters<typeof openAccessNeeds>[0]) => {
    const rows = await db.db
      .select()
      .from(schema.onboardingProfiles)
      .orderBy(asc(schema.onboardingProfiles.memberId));
    return rows.map((r) => openAccessNeeds(key, r.groupId, r.memberId, r.accessNeedsSealed)?.other);
  };

  /** Every value of every column of every table, as the database holds it. */
  async function everythingStored(): Promise<string> {
    const dumps: string[] = [];
    for (const table of schemaTables()) dumps.push(JSON.stringify(await db.db.select().from(table)));
    return dumps.join('\n');
  }

  it('names the key each value was sealed with, and holds no plain text', async () => {
    const raw = await db.db.select().from(schema.onboardingProfiles);
    const ids = raw.map((r) => r.accessNeedsSealed?.split('.').slice(0, 2).join('.'));
    expect(ids.filter((id) => id === `v2.${keyId(OLD)}`)).toHaveLength(8);
    expect(await everythingStored()).not.toContain('step-free access');
  });

  it('survives a stop half way: copro opens every value meanwhile, and running it again finishes', async () => {
    const keys = { current: NEW, previous: OLD };
    let batches = 0;
    const stopped = rotateSealed(db.db, declarations, keys, {
      batchSize: 4,
      onBatch: () => {
        batches += 1;
        if (batches === 2) throw new Error('the machine went down');
      },
    });
    await expect(stopped).rejects.toThrow('the machine went down');
    expect(await notUnder(db.db, declarations, NEW)).toBe(12 - 8);
    // The running copro, given both keys, still reads every member's needs.
    expect(await needsOf(keys)).toEqual(memberIds.map((_, i) => words(i)));

    const resumed = await rotateSealed(db.db, declarations, keys, { batchSize: 4 });
    expect(resumed).toEqual({ resealed: 4, unopened: 0, already: 8, finished: true });
    expect(await notUnder(db.db, declarations, NEW)).toBe(0);
  });

  it('leaves every value under the new key, opening to the same words with the new key alone', async () => {
    const raw = await db.db.select().from(schema.onboardingProfiles);
    for (const r of raw) expect(r.accessNeedsSealed).toMatch(new RegExp(`^v2\\.${keyId(NEW)}\\.`));
    expect(await needsOf(NEW)).toEqual(memberIds.map((_, i) => words(i)));
    expect(await needsOf(OLD)).toEqual(memberIds.map(() => undefined));
    expect(await everythingStored()).not.toContain('step-free access');
    const again = await rotateSealed(db.db, declarations, { current: NEW, previous: OLD });
    expect(again).toMatchObject({ resealed: 0, already: 12 });
  });
});

describe('the key behind anonymous votes, when the encryption key changes', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  const ballots = async (pollId: number) =>
    (await db.db.select().from(schema.pollVotes).where(eq(schema.pollVotes.pollId, pollId))).length;

  it('stays the same, so nobody votes twice in an open poll and forget-me still takes votes back', async () => {
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const secret = await storedVoterSecret(db.db, OLD);
    expect(secret).toEqual(OLD);
    const before = privacyWorld(db, clock, { encryptionKey: OLD, voterSecret: secret });
    await before.say(ann, 'setup --name "Secret ballot group"');
    await before.joined(samira);
    const message = await before.poll('poll "Keep the Tuesday slot?" "Keep" "Move" --anonymous');
    await before.press(samira, message, 'Keep');
    const [poll] = await db.db.select().from(schema.polls);
    expect(await ballots(poll!.id)).toBe(1);

    await rotateSealed(db.db, declarations, { current: NEW, previous: OLD });
    const [stored] = await db.db.select().from(schema.sealedSecrets);
    expect(stored?.secretSealed).toMatch(new RegExp(`^v2\\.${keyId(NEW)}\\.`));
    expect(unseal(OLD, stored!.secretSealed, 'sealed_secrets:voter')).toBeUndefined();

    const after = privacyWorld(db, clock, {
      encryptionKey: NEW,
      voterSecret: await storedVoterSecret(db.db, NEW),
    });
    const changed = await after.press(samira, message, 'Move');
    expect(changed.text).toContain('Move');
    expect(await ballots(poll!.id)).toBe(1);

    const asked = await after.say(samira, 'forget-me');
    await after.press(samira, asked.last, 'Yes, delete my data');
    expect(await ballots(poll!.id)).toBe(0);
  });

  it('cannot be opened with a key copro was not given, and then anonymous polls are off', async () => {
    expect(await storedVoterSecret(db.db, randomBytes(32))).toBeUndefined();
  });
});
