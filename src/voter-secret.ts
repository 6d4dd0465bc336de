import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the embedded database's voter secret is kept: beside the database files, never inside them. */
export const VOTER_SECRET_FILE = 'voter-secret.key';

/**
 * The key behind anonymous voter hashes. It must never live in the database that holds the
 * ballots: whoever has both could recompute every member's hash and name each voter.
 *
 * COPRO_ENCRYPTION_KEY when set; else, for the embedded database, a key file made on first start
 * in the data directory, readable only by copro's user. A Postgres server without
 * COPRO_ENCRYPTION_KEY has none, and anonymous polls are refused until one is set.
 */
export function loadVoterSecret(config: {
  readonly encryptionKey?: Buffer;
  readonly databaseUrl?: string;
  readonly dataDir: string;
}): Buffer | undefined {
  if (config.encryptionKey) return config.encryptionKey;
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
