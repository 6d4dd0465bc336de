import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { oneOf, rowsOf } from '../../db/rows.js';
import type { Actor, PlatformKind } from '../chat/index.js';
import type { Mention } from '../commands/types.js';
import { MEMBER } from './builtin-roles.js';
import type { MemberRow } from './types.js';

const { members, groupMembers, roleAssignments } = schema;

/** The member record for a platform account, if copro has one; nothing is created. */
export async function findMember(db: Db | Tx, actor: Actor): Promise<MemberRow | undefined> {
  const [known] = await db
    .select()
    .from(members)
    .where(
      and(
        eq(members.platform, actor.platform),
        eq(members.workspaceId, actor.workspaceId),
        eq(members.userId, actor.userId),
      ),
    );
  return known;
}

/**
 * The member record for a platform account, created on first contact and kept up to date. An
 * unchanged record is only read: writing it on every click would stamp the row with the click's
 * transaction, which could be lined up with an anonymous vote cast in the next one.
 */
export async function ensureMember(db: Db | Tx, actor: Actor): Promise<MemberRow> {
  const known = await findMember(db, actor);
  const name = known && actor.displayNameOutsideGroup ? known.displayName : actor.displayName;
  if (known && known.displayName === name && (!actor.timezone || known.timezone === actor.timezone))
    return known;
  const [row] = await db
    .insert(members)
    .values({
      platform: actor.platform,
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      displayName: name,
      timezone: actor.timezone ?? null,
    })
    .onConflictDoUpdate({
      target: [members.platform, members.workspaceId, members.userId],
      set: {
        displayName: name,
        timezone: actor.timezone ? actor.timezone : sql`${members.timezone}`,
      },
    })
    .returning();
  return row as MemberRow;
}

/**
 * What the platform now says of someone copro knows: their name, and their timezone if it says
 * one. Nobody is created: the person may have asked to be forgotten since. An unchanged record is
 * not written (see ensureMember).
 */
export async function refreshMember(db: Db | Tx, actor: Actor): Promise<void> {
  await db
    .update(members)
    .set({
      displayName: actor.displayName,
      ...(actor.timezone ? { timezone: actor.timezone } : {}),
    })
    .where(
      and(
        eq(members.platform, actor.platform),
        eq(members.workspaceId, actor.workspaceId),
        eq(members.userId, actor.userId),
        actor.timezone
          ? sql`(${members.displayName} <> ${actor.displayName} or ${members.timezone} is distinct from ${actor.timezone})`
          : sql`${members.displayName} <> ${actor.displayName}`,
      ),
    );
}

/**
 * ensureMember for several people of one workspace at once, in two statements: who is known is
 * read, and only those new or changed are written (as ensureMember does, for the same reason).
 * The records come back in the order of `actors`.
 */
export async function ensureMembers(db: Db | Tx, actors: readonly Actor[]): Promise<MemberRow[]> {
  const [first] = actors;
  if (!first) return [];
  if (actors.some((a) => a.platform !== first.platform || a.workspaceId !== first.workspaceId)) {
    const out: MemberRow[] = [];
    for (const actor of actors) out.push(await ensureMember(db, actor));
    return out;
  }
  const known = await db
    .select()
    .from(members)
    .where(
      and(
        eq(members.platform, first.platform),
        eq(members.workspaceId, first.workspaceId),
        oneOf(members.userId, [...new Set(actors.map((a) => a.userId))]),
      ),
    );
  const byUser = new Map(known.map((m) => [m.userId, m]));
  const writes = new Map<string, typeof members.$inferInsert>();
  for (const actor of actors) {
    const had = byUser.get(actor.userId);
    const name = had && actor.displayNameOutsideGroup ? had.displayName : actor.displayName;
    if (had && had.displayName === name && (!actor.timezone || had.timezone === actor.timezone)) continue;
    writes.set(actor.userId, {
      platform: actor.platform,
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      displayName: name,
      timezone: actor.timezone ?? null,
    });
  }
  if (writes.size > 0) {
    const written = await db
      .insert(members)
      // In one order, so two such writes at once wait for each other rather than deadlock.
      .select(
        rowsOf(
          members,
          [...writes.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)),
        ),
      )
      .onConflictDoUpdate({
        target: [members.platform, members.workspaceId, members.userId],
        set: {
          displayName: sql`excluded.display_name`,
          timezone: sql`coalesce(nullif(excluded.timezone, ''), ${members.timezone})`,
        },
      })
      .returning();
    for (const row of written) byUser.set(row.userId, row);
  }
  return actors.map((a) => byUser.get(a.userId) as MemberRow);
}

/**
 * The member a mention points at. A mention's name (a Slack handle, a typed @name) only names
 * someone copro has not met yet: the name a person shows when they act themselves is better.
 */
export async function ensureMentioned(
  db: Db | Tx,
  platform: PlatformKind,
  workspaceId: string,
  mention: Mention,
): Promise<MemberRow> {
  const [created] = await db
    .insert(members)
    .values({
      platform,
      workspaceId,
      userId: mention.userId,
      displayName: mention.displayName ?? mention.userId,
    })
    .onConflictDoNothing({ target: [members.platform, members.workspaceId, members.userId] })
    .returning();
  if (created) return created;
  const [existing] = await db
    .select()
    .from(members)
    .where(
      and(
        eq(members.platform, platform),
        eq(members.workspaceId, workspaceId),
        eq(members.userId, mention.userId),
      ),
    );
  return existing as MemberRow;
}

/** Make someone part of a group (again, if they had left); they hold the member role from then. */
export async function joinGroup(db: Db | Tx, groupId: number, memberId: number, at: Date): Promise<boolean> {
  const rows = await db
    .insert(groupMembers)
    .values({ groupId, memberId, joinedAt: at })
    .onConflictDoUpdate({
      target: [groupMembers.groupId, groupMembers.memberId],
      set: { leftAt: null },
      setWhere: sql`${groupMembers.leftAt} is not null`,
    })
    .returning({ memberId: groupMembers.memberId });
  if (rows.length === 0) return false;
  await db
    .insert(roleAssignments)
    .values({ groupId, memberId, roleKey: MEMBER, assignedAt: at })
    .onConflictDoNothing();
  return true;
}

export async function leaveGroup(db: Db | Tx, groupId: number, memberId: number, at: Date): Promise<void> {
  await db
    .update(groupMembers)
    .set({ leftAt: at })
    .where(
      and(
        eq(groupMembers.groupId, groupId),
        eq(groupMembers.memberId, memberId),
        isNull(groupMembers.leftAt),
      ),
    );
}

/** Who is in the group (or groups) now and joined in the period (after `since`, up to `until`): for digests. */
export function joinedWithin(groupId: number | readonly number[], since: Date, until: Date) {
  return and(
    typeof groupId === 'number'
      ? eq(groupMembers.groupId, groupId)
      : inArray(groupMembers.groupId, [...groupId]),
    isNull(groupMembers.leftAt),
    gt(groupMembers.joinedAt, since),
    lte(groupMembers.joinedAt, until),
  );
}
