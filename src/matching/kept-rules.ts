/**
 * Safeguarding across erasure. "Please don't pair me with ..." and a coordinator's "never pair
 * these two" are someone else's protection, not the named person's data alone: when that person
 * is erased (forget-me, forget @person, retention), the rule stays, holding in place of them only
 * a keyed hash (HMAC) of their platform account within the group. The key is the secret behind
 * anonymous votes (src/voter-secret.ts), which the database alone cannot open, so the database
 * alone cannot say whom a kept rule names.
 * If the same account comes back, the hash matches again and the rule becomes an ordinary avoid
 * or forbid before anyone is paired.
 *
 * Without the secret (a Postgres server without COPRO_ENCRYPTION_KEY) nothing could be kept that
 * the database alone could not link back to the person, so the rules are erased with them.
 * The erased person's own avoid list is theirs, and always goes with them.
 */
import { createHmac } from 'node:crypto';
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { type Db, type MemberRow, schema, type Tx } from '../../db/client.js';
import type { GroupRow } from '../groups/types.js';
import { FORMER_MEMBER_ID } from '../privacy/forget.js';
import { addAvoid, setRule } from './store.js';

const { buddyAvoids, matchRules, matchKeptRules: kept, members } = schema;

type Account = Pick<MemberRow, 'platform' | 'workspaceId' | 'userId'>;

/** The keyed hash a kept rule knows a person by, in one group (so two groups' hashes differ). */
export function accountKey(secret: Buffer, groupId: number, who: Account): string {
  return createHmac('sha256', secret)
    .update(`match-kept-rule:${groupId}:${who.platform}:${who.workspaceId}:${who.userId}`)
    .digest('base64url');
}

/** Called while erasing `member`: keep, without them, the rules that protect someone else. */
export async function keepRulesAbout(tx: Tx, member: MemberRow, secret: Buffer | undefined): Promise<void> {
  const me = member.id;
  // Their own "don't pair me with" list, kept earlier or not, goes with them.
  await tx.delete(kept).where(and(eq(kept.kind, 'avoid'), eq(kept.memberId, me)));
  if (!secret) {
    await tx.delete(kept).where(eq(kept.memberId, me));
    return;
  }
  const key = (groupId: number) => accountKey(secret, groupId, member);
  const avoidedBy = await tx.select().from(buddyAvoids).where(eq(buddyAvoids.avoidMemberId, me));
  const forbids = await tx
    .select()
    .from(matchRules)
    .where(and(eq(matchRules.kind, 'forbid'), or(eq(matchRules.memberA, me), eq(matchRules.memberB, me))));
  const rows = [
    ...avoidedBy
      .filter((a) => a.memberId !== me)
      .map((a) => ({ groupId: a.groupId, kind: 'avoid' as const, memberId: a.memberId })),
    ...forbids.map((r) => ({
      groupId: r.groupId,
      kind: 'forbid' as const,
      memberId: r.memberA === me ? r.memberB : r.memberA,
    })),
  ];
  if (rows.length > 0) await tx.insert(kept).values(rows.map((r) => ({ ...r, erasedKey: key(r.groupId) })));
  // Forbids kept from someone erased before, where this person was the one still here.
  const sides = await tx
    .select()
    .from(kept)
    .where(and(eq(kept.kind, 'forbid'), eq(kept.memberId, me)));
  for (const r of sides) {
    await tx
      .update(kept)
      .set({ memberId: null, keptKey: key(r.groupId) })
      .where(eq(kept.id, r.id));
  }
}

/**
 * Turn the group's kept rules whose person has come back into ordinary avoids and forbids.
 * Run before anyone in the group is paired, and before a coordinator changes a rule.
 */
export async function restoreKeptRules(
  db: Db | Tx,
  group: GroupRow,
  secret: Buffer | undefined,
): Promise<void> {
  if (!secret) return;
  const rules = await db.select().from(kept).where(eq(kept.groupId, group.id));
  if (rules.length === 0) return;
  const people = await db
    .select({
      id: members.id,
      platform: members.platform,
      workspaceId: members.workspaceId,
      userId: members.userId,
    })
    .from(members)
    .where(
      and(
        eq(members.platform, group.platform),
        eq(members.workspaceId, group.workspaceId),
        ne(members.userId, FORMER_MEMBER_ID),
      ),
    );
  const byKey = new Map(people.map((p) => [accountKey(secret, group.id, p), p.id]));
  const done: number[] = [];
  for (const r of rules) {
    const back = byKey.get(r.erasedKey);
    const other = r.memberId ?? (r.keptKey === null ? undefined : byKey.get(r.keptKey));
    if (r.kind === 'avoid') {
      if (back === undefined || r.memberId === null) continue;
      if (back !== r.memberId) await addAvoid(db, group.id, r.memberId, back);
      done.push(r.id);
    } else if (back !== undefined && other !== undefined) {
      // A forbid comes back as a forbid, even over a pin made since: it was made to keep them apart.
      if (back !== other) await setRule(db, group.id, 'forbid', back, other);
      done.push(r.id);
    } else if (r.memberId === null && other !== undefined) {
      await db.update(kept).set({ memberId: other, keptKey: null }).where(eq(kept.id, r.id));
    } else if (r.memberId === null && back !== undefined) {
      await db
        .update(kept)
        .set({ memberId: back, erasedKey: r.keptKey!, keptKey: null })
        .where(eq(kept.id, r.id));
    }
  }
  if (done.length > 0) await db.delete(kept).where(inArray(kept.id, done));
}
