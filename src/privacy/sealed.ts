/**
 * Special-category data (access needs, lived experience) is stored only sealed: AES-256-GCM under
 * a key derived from COPRO_ENCRYPTION_KEY, so the database holds no plain text of it.
 *
 * The subkey is derived (HKDF) rather than the configured key used directly, because that key
 * also keys anonymous voter hashes; one key, two purposes, kept apart. Each value is bound to
 * where it belongs (`context`, e.g. "access:12:34"), so a sealed value copied into another
 * member's row does not open there.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'copro special-category data v1';

function subkey(key: Buffer): Buffer {
  if (key.length !== 32) throw new RangeError('The encryption key must be 32 bytes.');
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), INFO, 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", each part base64url. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(key), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The plain text, or undefined when the value was sealed with another key or for another place. */
export function unseal(key: Buffer, sealed: string, context: string): string | undefined {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) return undefined;
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
