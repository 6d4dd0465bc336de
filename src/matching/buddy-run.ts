/**
 * Newcomers get a buddy as soon as one is free, not only at a round: after each request or
 * change of capacity, and on every scheduler tick (a buddy may have been given the role, or come
 * back from a pause). A newcomer is someone who asked, by /copro buddy request or during
 * onboarding, and has no buddy yet; a buddy is a member holding the buddy role.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import type { GroupRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/index.js';
import { matchingProfile } from '../onboarding/matching.js';
import { mention } from '../text.js';
import { assignBuddies, type Buddy } from './buddies.js';
import { restoreKeptRules } from './kept-rules.js';
import type { Candidate } from './types.js';

const {
  members,
  groupMembers,
  buddySettings,
  buddyAssignments,
  buddyAvoids,
  roleAssignments,
  onboardingProfiles,
} = schema;

type MemberRow = typeof members.$inferSelect;

async function current(db: Db | Tx, groupId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ member: members })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(and(eq(groupMembers.groupId, groupId), isNull(groupMembers.leftAt)));
  return rows.map((r) => r.member);
}

function introduction(
  group: GroupRow,
  newcomer: MemberRow,
  buddy: MemberRow,
  interests: readonly string[],
): Message {
  const text = [
    `Hello ${literal(newcomer.displayName)} and ${literal(buddy.displayName)}! ${mention(buddy)} will be ${mention(newcomer)}'s buddy in ${literal(group.name)}:`,
    'someone to ask how meetings work, what the papers mean, or anything else.',
    interests.length > 0 ? `You share an interest in ${interests.join(', ')}.` : '',
    'A suggested first step: a 20-minute call this week, at a time that suits you both.',
  ]
    .filter(Boolean)
    .join(' ');
  return { text, blocks: [{ type: 'text', text }] };
}

/** Pair waiting newcomers with free buddies in one group; returns how many were paired. */
export async function assignWaiting(
  tx: Tx,
  group: GroupRow,
  now: Date,
  secret: Buffer | undefined,
): Promise<number> {
  // One assignment at a time per group, so two at once cannot both fill a buddy's last place.
  await tx
    .select({ id: schema.groups.id })
    .from(schema.groups)
    .where(eq(schema.groups.id, group.id))
    .for('update');
  await restoreKeptRules(tx, group, secret);
  const people = await current(tx, group.id);
  const settings = await tx.select().from(buddySettings).where(eq(buddySettings.groupId, group.id));
  const profiles = await tx.select().from(onboardingProfiles).where(eq(onboardingProfiles.groupId, group.id));
  const assigned = await tx.select().from(buddyAssignments).where(eq(buddyAssignments.groupId, group.id));
  const holders = await tx
    .select()
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.groupId, group.id),
        eq(roleAssignments.roleKey, 'buddy'),
        isNull(roleAssignments.removedAt),
      ),
    );
  const avoids = await tx.select().from(buddyAvoids).where(eq(buddyAvoids.groupId, group.id));
  const settingOf = (id: number) => settings.find((s) => s.memberId === id);
  const wants = (id: number) =>
    settingOf(id)?.wantsBuddy === true || profiles.some((p) => p.memberId === id && p.wantsBuddy === true);
  const waiting = people.filter((m) => wants(m.id) && !assigned.some((a) => a.newcomerId === m.id));
  const buddyIds = new Set(holders.map((h) => h.memberId));
  if (waiting.length === 0 || buddyIds.size === 0) return 0;

  const candidate = async (m: MemberRow): Promise<Candidate> => {
    const profile = await matchingProfile(tx, group.id, m.id);
    const paused = settingOf(m.id)?.pausedUntil;
    return {
      id: String(m.id),
      timezone: profile.timezone ?? m.timezone ?? group.timezone,
      interests: profile.interests,
      status: paused && paused > now ? 'paused' : 'active',
      avoid: avoids.filter((a) => a.memberId === m.id).map((a) => String(a.avoidMemberId)),
    };
  };
  const newcomers = await Promise.all(waiting.map(candidate));
  const buddies: Buddy[] = [];
  for (const m of people.filter((p) => buddyIds.has(p.id))) {
    const load = assigned.filter((a) => a.buddyId === m.id && a.endedAt === null).length;
    buddies.push({ ...(await candidate(m)), capacity: settingOf(m.id)?.capacity ?? undefined, load });
  }
  const rules = await tx.select().from(schema.matchRules).where(eq(schema.matchRules.groupId, group.id));
  const forbidden = rules
    .filter((r) => r.kind === 'forbid')
    .map((r) => [String(r.memberA), String(r.memberB)] as const);
  const plan = assignBuddies({ newcomers, buddies, at: now, rules: { forbidden } });
  for (const a of plan.assignments) {
    const newcomer = people.find((p) => String(p.id) === a.newcomer)!;
    const buddy = people.find((p) => String(p.id) === a.buddy)!;
    const inserted = await tx
      .insert(buddyAssignments)
      .values({ groupId: group.id, newcomerId: newcomer.id, buddyId: buddy.id, assignedAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) continue;
    await enqueueMessage(tx, now, {
      purpose: `buddy:intro:${inserted[0]!.id}`,
      platform: group.platform,
      destination: {
        kind: 'groupDm',
        userIds: [newcomer.userId, buddy.userId],
        workspaceId: group.workspaceId,
      },
      message: introduction(group, newcomer, buddy, a.parts.sharedInterests),
      groupId: group.id,
    });
  }
  return plan.assignments.length;
}

/** The scheduler's sweep: every group with someone waiting for a buddy gets a try. */
export async function assignWaitingEverywhere(db: Db, now: Date, deps: FeatureDeps): Promise<void> {
  const fromSettings = await db
    .selectDistinct({ groupId: buddySettings.groupId })
    .from(buddySettings)
    .where(eq(buddySettings.wantsBuddy, true));
  const fromProfiles = await db
    .selectDistinct({ groupId: onboardingProfiles.groupId })
    .from(onboardingProfiles)
    .where(eq(onboardingProfiles.wantsBuddy, true));
  const ids = new Set([...fromSettings, ...fromProfiles].map((r) => r.groupId));
  for (const id of ids) {
    await db.transaction(async (tx) => {
      const [group] = await tx.select().from(schema.groups).where(eq(schema.groups.id, id));
      if (group) await assignWaiting(tx, group as GroupRow, now, deps.voterSecret);
    });
  }
}
