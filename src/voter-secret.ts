import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { type Db, schema } from '../db/client.js';
import { type SealKey, seal, unseal } from './privacy/sealed.js';

/** Where the embedded database's voter secret is kept: beside the database files, never inside them. */
export const VOTER_SECRET_FILE = 'voter-secret.key';

export const VOTER_SECRET_NAME = 'voter';
/** As src/privacy/feature.ts declares the column: `sealed_secrets:${name}`. */
export const VOTER_SECRET_CONTEXT = `sealed_secrets:${VOTER_SECRET_NAME}`;

/**
 * The key behind anonymous voter hashes. It must never live in the database that holds the
 * ballots in a form that can be read there: whoever has both could recompute every member's hash
 * and name each voter.
 *
 * With COPRO_ENCRYPTION_KEY, it is kept in the database sealed with that key (storedVoterSecret),
 * so it stays the same when the key is changed: voters in a poll still open are recognised, and
 * nobody votes twice. Without it, for the embedded database, it is a key file made on first start
 * in the data directory, readable only by copro's user. A Postgres server without
 * COPRO_ENCRYPTION_KEY has none, and anonymous polls are refused until one is set.
 */
export async function voterSecretFor(
  config: { readonly databaseUrl?: string; readonly dataDir: string },
  db: Db,
  key: SealKey | undefined,
): Promise<Buffer | undefined> {
  return key ? storedVoterSecret(db, key) : loadVoterSecret(config);
}

/**
 * The voter secret sealed in the database, made on first use. Before it was kept there, the
 * encryption key itself was the voter secret; it is kept as the first value (the key being
 * replaced, while the key is being changed), so polls already open still know their voters.
 * Undefined when no key copro was given opens it.
 */
export async function storedVoterSecret(db: Db, key: SealKey): Promise<Buffer | undefined> {
  const s = schema.sealedSecrets;
  const read = async () => (await db.select().from(s).where(eq(s.name, VOTER_SECRET_NAME)))[0];
  let found = await read();
  if (!found) {
    const first = Buffer.isBuffer(key) ? key : (key.previous ?? key.current);
    await db
      .insert(s)
      .values({
        name: VOTER_SECRET_NAME,
        secretSealed: seal(key, first.toString('base64'), VOTER_SECRET_CONTEXT),
      })
      .onConflictDoNothing();
    found = await read();
  }
  const plain = found && unseal(key, found.secretSealed, VOTER_SECRET_CONTEXT);
  return plain === undefined ? undefined : Buffer.from(plain, 'base64');
}

/** The voter secret of the embedded database without COPRO_ENCRYPTION_KEY: a key file beside it. */
export function loadVoterSecret(config: {
  readonly databaseUrl?: string;
  readonly dataDir: string;
}): Buffer | undefined {
  if (config.databaseUrl || config.dataDir.startsWith('memory://')) return undefined;
  const path = join(resolve(config.dataDir), VOTER_SECRET_FILE);
  try {
    // "wx": only the first start writes it, even if two start at once.
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(
      `${path} does not hold a 32-byte key. Restore it from a backup, or set COPRO_ENCRYPTION_KEY.`,
    );
  }
  return key;
}

/**
 * The key a platform event is remembered by, to ignore repeats. Some platforms' event ids name
 * the person, the button and the moment ("action:U1:poll.vote:P7K2:1:1700000000.1"); a plain hash
 * of such an id can be recovered by trying every member, option and second. With the secret it
 * is an HMAC, which nobody without the key can recompute; without one (no anonymous poll can
 * exist then), a plain hash.
 */
export function eventKey(eventId: string, secret: Buffer | undefined): string {
  const hash = secret
    ? createHmac('sha256', secret).update(`event:${eventId}`)
    : createHash('sha256').update(eventId);
  return hash.digest('base64url');
}
