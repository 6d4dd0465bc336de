/** The group's part of the weekly digest: who joined, and roles given or taken away. */
import { and, eq, gt, inArray, lte, ne, or } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { inPeriod, type SectionContext, sectionForGroups, span } from '../digest/sections.js';
import { article, listOf } from '../text.js';
import { joinedWithin } from './members.js';

/** Longer lists of newcomers end "… and 12 others". */
const MAX_NAMES = 10;

export const newMembersAndRoles = sectionForGroups(async (ctxs) => {
  const { db, groupIds, since, until } = span(ctxs);
  const { groupMembers, members, roleAssignments: ra, roles } = schema;
  const joined = await db
    .select({ groupId: groupMembers.groupId, name: members.displayName, joinedAt: groupMembers.joinedAt })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(joinedWithin(groupIds, since, until))
    .orderBy(groupMembers.joinedAt, members.id);
  // Only roles given or taken away in the batch's period can say anything.
  const changed = (at: typeof ra.assignedAt | typeof ra.removedAt) => and(gt(at, since), lte(at, until));
  const roleRows = await db
    .select({
      groupId: ra.groupId,
      name: members.displayName,
      role: roles.name,
      roleKey: ra.roleKey,
      assignedAt: ra.assignedAt,
      removedAt: ra.removedAt,
      sensitive: roles.sensitive,
      shown: ra.shownToGroup,
    })
    .from(ra)
    .innerJoin(members, eq(members.id, ra.memberId))
    .leftJoin(roles, and(eq(roles.groupId, ra.groupId), eq(roles.key, ra.roleKey)))
    .where(
      and(
        inArray(ra.groupId, groupIds),
        ne(ra.roleKey, 'member'),
        or(changed(ra.assignedAt), changed(ra.removedAt)),
      ),
    )
    .orderBy(ra.id);
  return ctxs.map((ctx) =>
    linesFor(
      ctx,
      joined.filter((j) => j.groupId === ctx.group.id && inPeriod(ctx, j.joinedAt)),
      roleRows.filter((r) => r.groupId === ctx.group.id),
    ),
  );
});

interface RoleChange {
  readonly name: string;
  readonly role: string | null;
  readonly roleKey: string;
  readonly assignedAt: Date;
  readonly removedAt: Date | null;
  readonly sensitive: boolean | null;
  readonly shown: boolean;
}

function linesFor(ctx: SectionContext, joined: readonly { name: string }[], roleRows: readonly RoleChange[]) {
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
    const given = inPeriod(ctx, r.assignedAt);
    const taken = inPeriod(ctx, r.removedAt);
    if (given && taken) continue; // given and taken back within the week: nothing to report
    if (given) lines.push(`${name} is now ${article(role)} ${role}.`);
    else if (taken) lines.push(`${name} is no longer ${article(role)} ${role}.`);
  }
  return lines.length > 0 ? { title: 'New members and roles', lines } : undefined;
}
