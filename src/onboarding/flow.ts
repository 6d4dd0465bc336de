/**
 * Moving a member through their journey: loading what a step needs, sending a step by direct
 * message (through the outbox, in the same transaction as the change), and finishing.
 */

import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { AppDeps } from '../deps.js';
import { UserError } from '../errors.js';
import { groupById } from '../groups/groups.js';
import { isRecordedMember } from '../groups/membership.js';
import { coordinatorsOf } from '../groups/roles.js';
import type { GroupRow, MemberRow, RoleRow } from '../groups/types.js';
import { enqueueMessage, notifyCoordinators } from '../jobs/index.js';
import type { SealKey } from '../privacy/sealed.js';
import { currentStep, type JourneyShape } from './journey.js';
import { packOf, type ResolvedPack, updatePack } from './pack.js';
import { type StepView, stepMessage } from './steps.js';
import { type JourneyRow, journeyOf, nextSend, profileOf, resume, startJourney, stepOf } from './store.js';

/** Roles a newcomer may take up themselves, when coordinators allow it. */
export const SELF_CHOSEN_ROLES = ['expert-by-experience', 'carer'] as const;

/** The group a button or form belongs to, refusing anyone who is not in its channel now. */
export async function groupForMember(db: Db | Tx, groupId: number, member: MemberRow): Promise<GroupRow> {
  const group = await groupById(db, groupId);
  if (
    group.platform !== member.platform ||
    group.workspaceId !== member.workspaceId ||
    !(await isRecordedMember(db, group.id, member.id))
  ) {
    throw new UserError(
      'not_in_group',
      `This is for members of ${literal(group.name)}. Join its channel first, then type /copro join there.`,
    );
  }
  return group;
}

export async function selfRolesOf(db: Db | Tx, groupId: number): Promise<RoleRow[]> {
  return db
    .select()
    .from(schema.roles)
    .where(and(eq(schema.roles.groupId, groupId), inArray(schema.roles.key, [...SELF_CHOSEN_ROLES])))
    .orderBy(schema.roles.id);
}

export function shapeOf(
  pack: ResolvedPack,
  selfRoles: readonly RoleRow[],
  key: SealKey | undefined,
): JourneyShape {
  return {
    checklistItems: pack.checklist.length,
    asksSensitive: key !== undefined,
    selfChosenRoles: pack.selfChosenRoles && selfRoles.length > 0,
  };
}

export async function loadView(
  db: Db | Tx,
  key: SealKey | undefined,
  group: GroupRow,
  member: MemberRow,
  journey: JourneyRow,
): Promise<StepView> {
  const pack = await packOf(db, group.id);
  const selfRoles = await selfRolesOf(db, group.id);
  const shape = shapeOf(pack, selfRoles, key);
  const roles = await db
    .select()
    .from(schema.roles)
    .where(eq(schema.roles.groupId, group.id))
    .orderBy(schema.roles.id);
  return {
    group,
    member,
    journey,
    step: journey.finishedAt ? 'done' : currentStep(stepOf(journey), shape),
    shape,
    pack,
    roles,
    coordinators: await coordinatorsOf(db, group.id),
    selfRoles,
    profile: await profileOf(db, group.id, member.id),
  };
}

/** Queue a message to the member's direct messages, in the caller's transaction. */
export async function sendToMember(
  tx: Tx,
  group: GroupRow,
  member: MemberRow,
  journey: JourneyRow,
  message: Message,
  now: Date,
): Promise<void> {
  const n = await nextSend(tx, journey);
  await enqueueMessage(tx, now, {
    purpose: `onboarding:${journey.id}:${n}`,
    platform: member.platform,
    destination: { kind: 'dm', userId: member.userId, workspaceId: member.workspaceId },
    message,
    groupId: group.id,
  });
}

/**
 * Without an encryption key copro cannot keep health details safely, so it does not ask for
 * them. Coordinators are told why, once per group, so they are not left wondering.
 */
export async function noticeNoKey(tx: Tx, group: GroupRow, now: Date): Promise<void> {
  await updatePack(tx, group.id, undefined, now, {});
  const [claimed] = await tx
    .update(schema.onboardingPacks)
    .set({ noKeyNoticeAt: now })
    .where(and(eq(schema.onboardingPacks.groupId, group.id), isNull(schema.onboardingPacks.noKeyNoticeAt)))
    .returning({ groupId: schema.onboardingPacks.groupId });
  if (!claimed) return;
  const text =
    `About welcoming newcomers to ${literal(group.name)}: copro is not asking them about access needs or lived experience. ` +
    'That is health information. copro only keeps it locked with a secret key, and no key has been set up. ' +
    'Whoever runs copro can make one: the setting COPRO_ENCRYPTION_KEY (the Start section of copro’s README shows how). ' +
    'From then on, newcomers are asked. The rest of the welcome works as usual.';
  await notifyCoordinators(tx, now, group.id, `onboarding.no-key:${group.id}`, {
    text,
    blocks: [{ type: 'text', text }],
  });
}

export type StartOutcome =
  | { readonly kind: 'started' | 'resumed'; readonly view: StepView }
  | { readonly kind: 'finished'; readonly journey: JourneyRow };

/** Start a member's journey, or send them the step they stopped at; a finished journey is left alone. */
export async function startOrResume(
  deps: AppDeps,
  group: GroupRow,
  member: MemberRow,
): Promise<StartOutcome> {
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx): Promise<StartOutcome> => {
    const { journey, started } = await startJourney(tx, group.id, member.id, now);
    if (journey.finishedAt) return { kind: 'finished', journey };
    const current = await resume(tx, journey, now);
    const view = await loadView(tx, deps.encryptionKey, group, member, current);
    if (!deps.encryptionKey) await noticeNoKey(tx, group, now);
    await sendToMember(tx, group, member, current, stepMessage(view, !started), now);
    // "Welcome back" is for someone who was here before: who moved on from the first message,
    // or chose Not now. Joining the channel sends the first message; asking again is no return.
    const returning = !started && (journey.step !== 'welcome' || journey.pausedAt !== null);
    return { kind: returning ? 'resumed' : 'started', view };
  });
  await deps.outbox?.flush();
  return outcome;
}

export async function requireJourney(db: Db | Tx, group: GroupRow, member: MemberRow): Promise<JourneyRow> {
  const journey = await journeyOf(db, group.id, member.id);
  if (!journey)
    throw new UserError(
      'no_journey',
      `You have not started yet. Type /copro join in <#${group.homeChannelId}> to begin.`,
    );
  return journey;
}
