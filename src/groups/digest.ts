/** The group's part of the weekly digest: who joined, and roles given or taken away. */
import { and, eq, ne } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal } from '../chat/index.js';
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
      sensitive: roles.sensitive,
      shown: roleAssignments.shownToGroup,
    })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .leftJoin(roles, and(eq(roles.groupId, roleAssignments.groupId), eq(roles.key, roleAssignments.roleKey)))
    .where(and(eq(roleAssignments.groupId, group.id), ne(roleAssignments.roleKey, 'member')))
    .orderBy(roleAssignments.id);
  const within = (d: Date | null) => d !== null && d > since && d <= until;
  const lines: string[] = [];
  if (joined.length > 0) {
    const names = joined.map((j) => literal(j.name));
    if (names.length > MAX_NAMES)
      names.splice(MAX_NAMES - 1, names.length, `${names.length - MAX_NAMES + 1} others`);
    lines.push(`Welcome to ${listOf(names)}, who joined ${ctx.period}.`);
  }
  for (const r of roleRows) {
    // A private role is the holder's to show: the channel never hears of it otherwise.
    if (r.sensitive !== false && !r.shown) continue;
    const role = literal(r.role ?? r.roleKey.replace(/-/g, ' '));
    const name = literal(r.name);
    const given = within(r.assignedAt);
    const taken = within(r.removedAt);
    if (given && taken) continue; // given and taken back within the week: nothing to report
    if (given) lines.push(`${name} is now ${article(role)} ${role}.`);
    else if (taken) lines.push(`${name} is no longer ${article(role)} ${role}.`);
  }
  return lines.length > 0 ? { title: 'New members and roles', lines } : undefined;
};
