import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';

const SECRET_NAME = 'poll-voter-key';

/**
 * The key behind anonymous voter hashes: COPRO_ENCRYPTION_KEY when set, else a random secret
 * copro makes once and keeps. Either way the hash cannot be recomputed from chat or exports.
 */
export async function voterSecret(db: Db | Tx, encryptionKey: Buffer | undefined): Promise<Buffer> {
  if (encryptionKey) return encryptionKey;
  await db
    .insert(schema.instanceSecrets)
    .values({ name: SECRET_NAME, value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(schema.instanceSecrets)
    .where(eq(schema.instanceSecrets.name, SECRET_NAME));
  return Buffer.from((row as { value: string }).value, 'base64');
}

/**
 * Who a vote belongs to. Ordinary polls name the member; anonymous ones store a keyed hash of
 * (poll, member) instead, which lets a person change their own vote and vote only once, while
 * nobody reading the table can tell whose vote it is. The poll id is in the hash so the same
 * person's votes cannot be linked across polls.
 */
export function voterKey(poll: { id: number; anonymous: boolean }, memberId: number, secret: Buffer): string {
  if (!poll.anonymous) return `m:${memberId}`;
  return `a:${createHmac('sha256', secret).update(`${poll.id}:${memberId}`).digest('base64url')}`;
}

/** Who a vote belongs to, for any member, on one poll: reads the secret only when the poll is anonymous. */
export async function voterKeys(
  db: Db | Tx,
  poll: { id: number; anonymous: boolean },
  encryptionKey: Buffer | undefined,
): Promise<(memberId: number) => string> {
  const secret = poll.anonymous ? await voterSecret(db, encryptionKey) : Buffer.alloc(0);
  return (memberId) => voterKey(poll, memberId, secret);
}
