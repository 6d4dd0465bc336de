import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { UserError } from '../errors.js';
import { audit } from './audit.js';
import { COORDINATOR } from './builtin-roles.js';
import { joinGroup } from './members.js';
import type { GroupRow, MemberRow, RoleRow } from './types.js';

const { roles, roleAssignments, members, groups } = schema;

export async function isCoordinator(db: Db | Tx, groupId: number, memberId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(current(groupId, memberId, COORDINATOR));
  return row !== undefined;
}

/**
 * Refuses anyone who is not a coordinator of the group now. Forms and buttons check again when
 * used: the role may have been taken away since the form was opened.
 */
export async function requireCoordinator(
  db: Db | Tx,
  groupId: number,
  memberId: number,
  toDo: string,
  nothing = 'Nothing was changed.',
): Promise<void> {
  if (!(await isCoordinator(db, groupId, memberId)))
    throw new UserError('coordinators_only', `Only coordinators can ${toDo}. ${nothing}`);
}

export async function coordinatorsOf(db: Db | Tx, groupId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ member: members })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(
      and(
        eq(roleAssignments.groupId, groupId),
        eq(roleAssignments.roleKey, COORDINATOR),
        isNull(roleAssignments.removedAt),
      ),
    )
    .orderBy(asc(roleAssignments.assignedAt));
  return rows.map((r) => r.member);
}

function current(groupId: number, memberId: number, roleKey: string) {
  return and(
    eq(roleAssignments.groupId, groupId),
    eq(roleAssignments.memberId, memberId),
    eq(roleAssignments.roleKey, roleKey),
    isNull(roleAssignments.removedAt),
  );
}

export async function findRole(db: Db | Tx, groupId: number, key: string): Promise<RoleRow | undefined> {
  const [row] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.groupId, groupId), eq(roles.key, key)));
  return row;
}

async function requireRole(db: Db | Tx, group: GroupRow, key: string): Promise<RoleRow> {
  const role = await findRole(db, group.id, key);
  if (role) return role;
  const known = await db
    .select({ name: roles.name })
    .from(roles)
    .where(eq(roles.groupId, group.id))
    .orderBy(roles.id);
  throw new UserError(
    'unknown_role',
    `This group has no role called "${key.replace(/-/g, ' ')}". The roles are: ${known.map((r) => literal(r.name)).join(', ')}.\n` +
      `A coordinator can create it with /copro role define "${key.replace(/-/g, ' ')}" "what it involves".`,
  );
}

export interface RoleChange {
  readonly group: GroupRow;
  readonly by: MemberRow;
  readonly target: MemberRow;
  readonly roleKey: string;
  readonly at: Date;
}

/** Give a role. Returns false (and changes nothing) when the person already holds it. */
export async function addRole(db: Db, change: RoleChange): Promise<{ added: boolean; role: RoleRow }> {
  return db.transaction(async (tx) => {
    const role = await requireRole(tx, change.group, change.roleKey);
    await joinGroup(tx, change.group.id, change.target.id, change.at);
    const inserted = await tx
      .insert(roleAssignments)
      .values({
        groupId: change.group.id,
        memberId: change.target.id,
        roleKey: role.key,
        assignedBy: change.by.id,
        assignedAt: change.at,
      })
      .onConflictDoNothing()
      .returning({ id: roleAssignments.id });
    if (inserted.length === 0) return { added: false, role };
    await auditChange(tx, change, 'role.add', role);
    return { added: true, role };
  });
}

/** The audit line for a role given or taken away. */
function auditChange(tx: Tx, change: RoleChange, action: 'role.add' | 'role.remove', role: RoleRow) {
  return audit(tx, {
    groupId: change.group.id,
    actorMemberId: change.by.id,
    action,
    targetMemberId: change.target.id,
    details: { role: role.key },
    at: change.at,
  });
}

/** Take a role away, keeping the assignment as history. The last coordinator cannot be removed. */
export async function removeRole(db: Db, change: RoleChange): Promise<{ removed: boolean; role: RoleRow }> {
  return db.transaction(async (tx) => {
    // Lock the group so two coordinators removing each other at once cannot leave it with none.
    await tx.execute(
      sql`select ${groups.id} from ${groups} where ${groups.id} = ${change.group.id} for update`,
    );
    const role = await requireRole(tx, change.group, change.roleKey);
    const [held] = await tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(current(change.group.id, change.target.id, role.key));
    if (!held) return { removed: false, role };
    if (role.key === COORDINATOR && (await coordinatorsOf(tx, change.group.id)).length <= 1) {
      throw new UserError(
        'last_coordinator',
        `<@${change.target.userId}> is the only coordinator, and a group always needs one.\n` +
          'Make someone else coordinator first: /copro role add @person coordinator',
      );
    }
    await tx
      .update(roleAssignments)
      .set({ removedAt: change.at, removedBy: change.by.id })
      .where(eq(roleAssignments.id, held.id));
    await auditChange(tx, change, 'role.remove', role);
    return { removed: true, role };
  });
}

/**
 * Create a role, or reword what an existing one involves. `sensitive` marks it private; a role
 * once sensitive stays so, because its holders were told that only coordinators would know.
 */
export async function defineRole(
  db: Db,
  input: {
    group: GroupRow;
    by: MemberRow;
    key: string;
    name: string;
    description: string;
    sensitive: boolean;
    at: Date;
  },
): Promise<{ created: boolean; role: RoleRow; madePrivate: boolean }> {
  return db.transaction(async (tx) => {
    const existing = await findRole(tx, input.group.id, input.key);
    const sensitive = input.sensitive || (existing?.sensitive ?? false);
    const [role] = existing
      ? await tx
          .update(roles)
          .set({ description: input.description, sensitive })
          .where(eq(roles.id, existing.id))
          .returning()
      : await tx
          .insert(roles)
          .values({
            groupId: input.group.id,
            key: input.key,
            name: input.name,
            description: input.description,
            sensitive,
          })
          .returning();
    await audit(tx, {
      groupId: input.group.id,
      actorMemberId: input.by.id,
      action: existing ? 'role.redefine' : 'role.define',
      details: {
        role: input.key,
        description: input.description,
        ...(sensitive ? { sensitive } : {}),
        ...(existing ? { before: existing.description } : {}),
      },
      at: input.at,
    });
    return {
      created: !existing,
      role: role as RoleRow,
      madePrivate: existing !== undefined && !existing.sensitive && sensitive,
    };
  });
}

export interface Holder {
  readonly member: MemberRow;
  /** The holder chose to let the group see that they hold the role (matters for sensitive roles). */
  readonly shown: boolean;
}

export interface RoleWithHolders {
  readonly role: RoleRow;
  readonly holders: readonly Holder[];
}

/** Every role with everyone who holds it. Callers decide who may see which holder. */
export async function rolesWithHolders(db: Db | Tx, groupId: number): Promise<RoleWithHolders[]> {
  const defined = await db.select().from(roles).where(eq(roles.groupId, groupId)).orderBy(roles.id);
  const held = await db
    .select({ roleKey: roleAssignments.roleKey, member: members, shown: roleAssignments.shownToGroup })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(and(eq(roleAssignments.groupId, groupId), isNull(roleAssignments.removedAt)))
    .orderBy(members.displayName);
  return defined.map((role) => ({
    role,
    holders: held.filter((h) => h.roleKey === role.key).map(({ member, shown }) => ({ member, shown })),
  }));
}

export interface HeldRole {
  readonly role: RoleRow;
  readonly shown: boolean;
}

/** The roles one member holds now, with whether they show each to the group. */
export async function heldRoles(db: Db | Tx, groupId: number, memberId: number): Promise<HeldRole[]> {
  return db
    .select({ role: roles, shown: roleAssignments.shownToGroup })
    .from(roleAssignments)
    .innerJoin(roles, and(eq(roles.groupId, roleAssignments.groupId), eq(roles.key, roleAssignments.roleKey)))
    .where(
      and(
        eq(roleAssignments.groupId, groupId),
        eq(roleAssignments.memberId, memberId),
        isNull(roleAssignments.removedAt),
      ),
    )
    .orderBy(roles.id);
}

/**
 * The holder's own choice to show (or hide again) a sensitive role they hold. Returns the role,
 * or undefined when they do not hold such a role now, in which case nothing changes.
 */
export async function setRoleShown(
  db: Db,
  input: { groupId: number; memberId: number; roleKey: string; shown: boolean },
): Promise<RoleRow | undefined> {
  const role = await findRole(db, input.groupId, input.roleKey);
  // Only a private role has anything to show; a click naming another is not one copro offered.
  if (!role?.sensitive) return undefined;
  const changed = await db
    .update(roleAssignments)
    .set({ shownToGroup: input.shown })
    .where(current(input.groupId, input.memberId, input.roleKey))
    .returning({ id: roleAssignments.id });
  return changed.length > 0 ? role : undefined;
}

export async function rolesOfMember(db: Db | Tx, groupId: number, memberId: number): Promise<RoleRow[]> {
  return (await heldRoles(db, groupId, memberId)).map((h) => h.role);
}
