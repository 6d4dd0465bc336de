/** The group's part of the weekly digest: who joined, and roles given or taken away. */
import { and, eq, ne } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { DigestSectionBuilder } from '../digest/sections.js';
import { article, listOf } from '../text.js';
import { joinedWithin } from './members.js';

/** Longer lists of newcomers end "… and 12 others". */
const MAX_NAMES = 10;

export const newMembersAndRoles: DigestSectionBuilder = async (ctx) => {
  const { db, group, since, until } = ctx;
  const { groupMembers, members, roleAssignments, roles } = schema;
  const joined = await db
    .select({ name: members.displayName })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(joinedWithin(group.id, since, until))
    .orderBy(groupMembers.joinedAt, members.id);
  const roleRows = await db
    .select({
      name: members.displayName,
      role: roles.name,
      roleKey: roleAssignments.roleKey,
      assignedAt: roleAssignments.assignedAt,
      removedAt: roleAssignments.removedAt,
    })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .leftJoin(roles, and(eq(roles.groupId, roleAssignments.groupId), eq(roles.key, roleAssignments.roleKey)))
    .where(and(eq(roleAssignments.groupId, group.id), ne(roleAssignments.roleKey, 'member')))
    .orderBy(roleAssignments.id);
  const within = (d: Date | null) => d !== null && d > since && d <= until;
  const lines: string[] = [];
  if (joined.length > 0) {
    const names = joined.map((j) => j.name);
    if (names.length > MAX_NAMES)
      names.splice(MAX_NAMES - 1, names.length, `${names.length - MAX_NAMES + 1} others`);
    lines.push(`Welcome to ${listOf(names)}, who joined ${ctx.period}.`);
  }
  for (const r of roleRows) {
    const role = r.role ?? r.roleKey.replace(/-/g, ' ');
    const given = within(r.assignedAt);
    const taken = within(r.removedAt);
    if (given && taken) continue; // given and taken back within the week: nothing to report
    if (given) lines.push(`${r.name} is now ${article(role)} ${role}.`);
    else if (taken) lines.push(`${r.name} is no longer ${article(role)} ${role}.`);
  }
  return lines.length > 0 ? { title: 'New members and roles', lines } : undefined;
};
