/**
 * Special-category data (access needs, lived experience) is stored only sealed: AES-256-GCM under
 * a key derived from COPRO_ENCRYPTION_KEY, so the database holds no plain text of it.
 *
 * The subkey is derived (HKDF) rather than the configured key used directly, because that key
 * has other purposes too (see src/voter-secret.ts); one key, several purposes, kept apart. Each
 * value is bound to where it belongs (`context`, e.g. "access:12:34"), so a sealed value copied
 * into another member's row does not open there.
 *
 * Each value names the key it was sealed with (`keyId`, a fingerprint that gives nothing of the
 * key away), so that the key can be changed: while COPRO_PREVIOUS_ENCRYPTION_KEY is set, values
 * sealed with either key open, new ones are sealed with the current key, and `npm run rotate-key`
 * reseals the rest (src/privacy/rotation.ts). Values from before key ids ("v1") are tried with
 * every key copro knows.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const LEGACY = 'v1';
const VERSION = 'v2';
const INFO = 'copro special-category data v1';

/** The key to seal with, and the one it replaces while the key is being changed. */
export interface Keyring {
  readonly current: Buffer;
  readonly previous?: Buffer;
}

/** One key, or a keyring while the key is being changed. */
export type SealKey = Buffer | Keyring;

export function currentKey(key: SealKey): Buffer {
  return Buffer.isBuffer(key) ? key : key.current;
}

export function knownKeys(key: SealKey): Buffer[] {
  if (Buffer.isBuffer(key)) return [key];
  return key.previous && !key.previous.equals(key.current) ? [key.current, key.previous] : [key.current];
}

/** A short fingerprint of a key, stored with each value: the first 8 hex of an HMAC under the key. */
export function keyId(key: Buffer): string {
  let id = ids.get(key);
  if (id === undefined) {
    id = createHmac('sha256', key).update('copro key id').digest('hex').slice(0, 8);
    ids.set(key, id);
  }
  return id;
}

// Worked out once a key: every click is sealed into the inbox (src/inbox.ts).
const ids = new WeakMap<Buffer, string>();
const subkeys = new WeakMap<Buffer, Buffer>();

/** How a value sealed before keys were named starts: any key copro knows may open it. */
export const LEGACY_PREFIX = `${LEGACY}.`;

/** How a sealed value starts when it was sealed with `key`: what rotation looks for. */
export function sealedPrefix(key: Buffer): string {
  return `${VERSION}.${keyId(key)}.`;
}

function subkey(key: Buffer): Buffer {
  if (key.length !== 32) throw new RangeError('The encryption key must be 32 bytes.');
  let derived = subkeys.get(key);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), INFO, 32));
    subkeys.set(key, derived);
  }
  return derived;
}

/** "v2.<key id>.<iv>.<tag>.<ciphertext>", the last three base64url. */
export function seal(key: SealKey, plaintext: string, context: string): string {
  const k = currentKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(k), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId(k), ...[iv, tag, body].map((p) => p.toString('base64url'))].join('.');
}

function open(key: Buffer, iv: string, tag: string, body: string, context: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', subkey(key), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/** The plain text, or undefined when no key copro knows sealed it, or it was sealed for another place. */
export function unseal(key: SealKey, sealed: string, context: string): string | undefined {
  const parts = sealed.split('.');
  if (parts[0] === VERSION && parts.length === 5) {
    const [, id, iv = '', tag = '', body = ''] = parts;
    const k = knownKeys(key).find((candidate) => keyId(candidate) === id);
    return k ? open(k, iv, tag, body, context) : undefined;
  }
  if (parts[0] === LEGACY && parts.length === 4) {
    const [, iv = '', tag = '', body = ''] = parts;
    for (const k of knownKeys(key)) {
      const plain = open(k, iv, tag, body, context);
      if (plain !== undefined) return plain;
    }
  }
  return undefined;
}
