import { eq } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { rowOfMember, saveMemberRow } from '../groups/member-row.js';
import { cancelJobs, scheduleJob } from '../jobs/index.js';
import { isStep, type Step } from './journey.js';

const { onboardingJourneys: journeys, onboardingProfiles: profiles } = schema;

export type JourneyRow = typeof journeys.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;

/** A member is left alone this long without progress before one gentle reminder. */
export const NUDGE_AFTER_MS = 3 * 24 * 3_600_000;
/** A reminder that could not go out for this long after it was due (copro was down) is dropped. */
export const NUDGE_STALE_AFTER_MS = 4 * 24 * 3_600_000;
export const NUDGE_KIND = 'onboarding.nudge';

export function stepOf(journey: JourneyRow): Step {
  return isStep(journey.step) ? journey.step : 'welcome';
}

export async function journeyOf(
  db: Db | Tx,
  groupId: number,
  memberId: number,
): Promise<JourneyRow | undefined> {
  return rowOfMember(db, journeys, groupId, memberId);
}

/** The member's journey, started now if they had none. */
export async function startJourney(
  tx: Tx,
  groupId: number,
  memberId: number,
  now: Date,
): Promise<{ journey: JourneyRow; started: boolean }> {
  const [created] = await tx
    .insert(journeys)
    .values({ groupId, memberId, step: 'welcome', startedAt: now, stepAt: now })
    .onConflictDoNothing()
    .returning();
  if (created) {
    await scheduleNudge(tx, created);
    return { journey: created, started: true };
  }
  return { journey: (await journeyOf(tx, groupId, memberId)) as JourneyRow, started: false };
}

/** Move to a step; progress restarts the reminder clock (while no reminder has been sent). */
export async function moveTo(
  tx: Tx,
  journey: JourneyRow,
  step: Step,
  now: Date,
  confirmed?: string[],
): Promise<JourneyRow> {
  const [row] = await tx
    .update(journeys)
    .set({
      step,
      stepAt: now,
      pausedAt: null,
      ...(confirmed ? { confirmed } : {}),
      ...(step === 'done' ? { finishedAt: now } : {}),
    })
    .where(eq(journeys.id, journey.id))
    .returning();
  const moved = row as JourneyRow;
  await cancelJobs(tx, now, { series: nudgeSeries(journey.id) });
  if (step !== 'done') await scheduleNudge(tx, moved);
  return moved;
}

export async function pause(tx: Db | Tx, journey: JourneyRow, now: Date): Promise<void> {
  await tx.update(journeys).set({ pausedAt: now }).where(eq(journeys.id, journey.id));
  await cancelJobs(tx, now, { series: nudgeSeries(journey.id) });
}

/** Carry on after "Not now": the member is active again, so the reminder clock starts again. */
export async function resume(tx: Tx, journey: JourneyRow, now: Date): Promise<JourneyRow> {
  if (!journey.pausedAt || journey.finishedAt) return journey;
  return moveTo(tx, journey, stepOf(journey), now);
}

/** A number for the next message about this journey, so each has its own outbox identity. */
export async function nextSend(tx: Tx, journey: JourneyRow): Promise<number> {
  const [row] = await tx
    .update(journeys)
    .set({ sends: journey.sends + 1 })
    .where(eq(journeys.id, journey.id))
    .returning({ sends: journeys.sends });
  return row?.sends ?? journey.sends + 1;
}

const nudgeSeries = (journeyId: number) => `${NUDGE_KIND}:${journeyId}`;

async function scheduleNudge(tx: Tx, journey: JourneyRow): Promise<void> {
  if (journey.remindedAt || journey.pausedAt || journey.finishedAt) return;
  const runAt = new Date(journey.stepAt.getTime() + NUDGE_AFTER_MS);
  await scheduleJob(tx, {
    kind: NUDGE_KIND,
    key: `${nudgeSeries(journey.id)}:${journey.stepAt.toISOString()}`,
    series: nudgeSeries(journey.id),
    runAt,
    expiresAt: new Date(runAt.getTime() + NUDGE_STALE_AFTER_MS),
    groupId: journey.groupId,
    payload: { journeyId: journey.id },
  });
}

export async function profileOf(
  db: Db | Tx,
  groupId: number,
  memberId: number,
): Promise<ProfileRow | undefined> {
  return rowOfMember(db, profiles, groupId, memberId);
}

export async function saveProfile(
  db: Db | Tx,
  groupId: number,
  memberId: number,
  at: Date,
  patch: Partial<Omit<ProfileRow, 'groupId' | 'memberId' | 'updatedAt'>>,
): Promise<void> {
  await saveMemberRow(db, profiles, groupId, memberId, patch, at);
}
