import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../db/client.js';
import { loadVoterSecret, VOTER_SECRET_FILE, voterSecretFor } from '../src/voter-secret.js';
import { pollWorld } from './polls/support.js';
import { openTestDb, type TestDb } from './support/db.js';
import { person } from './support/events.js';

describe('the key behind anonymous votes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made on first start in the data directory, readable only by copro, and kept after', () => {
    const first = loadVoterSecret({ dataDir: dir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, VOTER_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadVoterSecret({ dataDir: dir })).toEqual(first);
  });

  it('is nothing for a server without COPRO_ENCRYPTION_KEY', async () => {
    expect(loadVoterSecret({ dataDir: dir, databaseUrl: 'postgres://db/copro' })).toBeUndefined();
  });

  it('stops copro with a plain message when the key file is damaged', () => {
    const other = mkdtempSync(join(tmpdir(), 'copro-secret-'));
    writeFileSync(join(other, VOTER_SECRET_FILE), 'not a key\n');
    expect(() => loadVoterSecret({ dataDir: other })).toThrow(/does not hold a 32-byte key/);
    rmSync(other, { recursive: true, force: true });
  });
});

describe('the key behind anonymous votes, with COPRO_ENCRYPTION_KEY', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('is kept in the database only sealed with it, the same at every start, and no key file is made', async () => {
    const key = Buffer.alloc(32, 3);
    const other = mkdtempSync(join(tmpdir(), 'copro-secret-'));
    const first = await voterSecretFor({ dataDir: other }, db.db, key);
    // Until it was kept there, the key itself was the voter secret: polls already open keep their voters.
    expect(first).toEqual(key);
    expect(await voterSecretFor({ dataDir: other }, db.db, key)).toEqual(first);
    const stored = JSON.stringify(await db.db.select().from(schema.sealedSecrets));
    expect(stored).not.toContain(key.toString('base64'));
    expect(existsSync(join(other, VOTER_SECRET_FILE))).toBe(false);
    rmSync(other, { recursive: true, force: true });
  });
});

describe('an anonymous poll without the key', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('is refused, saying plainly what is missing, and nothing is created', async () => {
    const world = pollWorld(db, { secret: null });
    const ann = person('Ann');
    await world.say(ann, 'setup');
    const answer = await world.say(ann, 'poll "Which day?" "Monday" "Friday" --anonymous');
    expect(answer).toContain('Anonymous polls need a secret key that copro keeps apart from its other data');
    expect(answer).toContain('COPRO_ENCRYPTION_KEY');
    expect(answer).toContain('without --anonymous');
    expect(await db.db.select().from(schema.polls)).toHaveLength(0);
  });
});
