/**
 * What the groups feature holds about a person: their account, the groups they joined and left,
 * the roles they held (with the history) and the coordinators' record of actions about them.
 */
import { eq, inArray, or } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { ExportSection, PersonalData } from '../privacy/declaration.js';

const { members, groups, groupMembers, roleAssignments, roles, auditLog } = schema;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Group names by id, for rows that only hold the id. */
export async function groupNames(db: Db | Tx, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .where(inArray(groups.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function roleRows(db: Db | Tx, memberId: number) {
  const rows = await db
    .select()
    .from(roleAssignments)
    .where(
      or(
        eq(roleAssignments.memberId, memberId),
        eq(roleAssignments.assignedBy, memberId),
        eq(roleAssignments.removedBy, memberId),
      ),
    );
  const known = rows.length
    ? await db
        .select({ groupId: roles.groupId, key: roles.key, name: roles.name })
        .from(roles)
        .where(inArray(roles.groupId, [...new Set(rows.map((r) => r.groupId))]))
    : [];
  return rows.map((a) => ({
    a,
    name: known.find((r) => r.groupId === a.groupId && r.key === a.roleKey)?.name ?? a.roleKey,
  }));
}

async function exportGroups(db: Db | Tx, memberId: number): Promise<ExportSection[]> {
  const [me] = await db.select().from(members).where(eq(members.id, memberId));
  const joined = await db.select().from(groupMembers).where(eq(groupMembers.memberId, memberId));
  const held = await roleRows(db, memberId);
  const audits = await db
    .select()
    .from(auditLog)
    .where(or(eq(auditLog.actorMemberId, memberId), eq(auditLog.targetMemberId, memberId)));
  const names = await groupNames(db, [
    ...joined.map((j) => j.groupId),
    ...held.map((h) => h.a.groupId),
    ...audits.map((a) => a.groupId),
  ]);
  const mine = held.filter((h) => h.a.memberId === memberId);
  const others = held.filter((h) => h.a.memberId !== memberId);
  return [
    {
      table: 'members',
      title: 'Your account',
      rows: me
        ? [
            {
              platform: me.platform,
              workspace: me.workspaceId,
              userId: me.userId,
              name: me.displayName,
              timezone: me.timezone,
              firstSeen: iso(me.createdAt),
            },
          ]
        : [],
    },
    {
      table: 'group_members',
      title: 'Groups you joined',
      rows: joined.map((j) => ({
        group: names.get(j.groupId),
        joined: iso(j.joinedAt),
        left: iso(j.leftAt),
      })),
    },
    {
      table: 'role_assignments',
      title: 'Your roles, now and before',
      rows: [
        ...mine.map(({ a, name }) => ({
          group: names.get(a.groupId),
          role: name,
          givenAt: iso(a.assignedAt),
          removedAt: iso(a.removedAt),
          shownToGroup: a.shownToGroup,
        })),
        // Roles this person gave or took away as a coordinator; the other person is not named.
        ...others.map(({ a, name }) => ({
          group: names.get(a.groupId),
          role: name,
          youGaveItAt: a.assignedBy === memberId ? iso(a.assignedAt) : null,
          youTookItAwayAt: a.removedBy === memberId ? iso(a.removedAt) : null,
          heldBy: 'another member',
        })),
      ],
    },
    {
      table: 'audit_log',
      title: "The coordinators' record of actions by you or about you",
      rows: audits.map((a) => ({
        group: names.get(a.groupId),
        action: a.action,
        byYou: a.actorMemberId === memberId,
        aboutYou: a.targetMemberId === memberId,
        details: a.details,
        at: iso(a.createdAt),
      })),
    },
  ];
}

export const groupsPersonalData: PersonalData = {
  refersToPerson: [
    'members.id',
    'members.platform',
    'members.workspace_id',
    'members.user_id',
    'members.display_name',
    'members.timezone',
    'members.created_at',
    'group_members.member_id',
    'role_assignments.member_id',
    'role_assignments.assigned_by',
    'role_assignments.removed_by',
    'audit_log.actor_member_id',
    'audit_log.target_member_id',
  ],
  // Role keys, group names and checklist items: what was done, never who to.
  holdsNoPerson: ['audit_log.details'],
  export: ({ db, member }) => exportGroups(db, member.id),
  async erase({ tx, member }) {
    await tx
      .update(roleAssignments)
      .set({ assignedBy: null })
      .where(eq(roleAssignments.assignedBy, member.id));
    await tx.update(roleAssignments).set({ removedBy: null }).where(eq(roleAssignments.removedBy, member.id));
    await tx.delete(roleAssignments).where(eq(roleAssignments.memberId, member.id));
    await tx.update(auditLog).set({ actorMemberId: null }).where(eq(auditLog.actorMemberId, member.id));
    await tx.update(auditLog).set({ targetMemberId: null }).where(eq(auditLog.targetMemberId, member.id));
    await tx.delete(groupMembers).where(eq(groupMembers.memberId, member.id));
    // The account itself goes last, once nothing of any feature points at it.
  },
  forgetting: {
    goes: 'your name, your account details, the groups you joined and the roles you held',
    stays:
      "the coordinators' record of what was done (such as a role given), without saying to whom or by whom",
  },
};
