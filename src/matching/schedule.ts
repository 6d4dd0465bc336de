/**
 * Peer rounds on a schedule, as a recurring durable job.
 *
 * Each group with a schedule has at most one pending "buddy.round" job, in the series
 * "match-round:<group id>", keyed by the instant it is due, so one occurrence can never be
 * scheduled or run twice. The job plans the round, records it, queues the introductions and
 * schedules the next round, all in the job's transaction: a crash leaves all of that or none.
 *
 * After downtime a missed round runs once, late (the "collapse" policy folds several missed
 * ones into that one run), and the next is the first scheduled date at least half a cycle
 * later, so two rounds never come close together.
 */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import type { FeatureJob } from '../features.js';
import type { GroupRow } from '../groups/types.js';
import { enqueueMessage, notifyCoordinators } from '../jobs/index.js';
import { cancelJobs, scheduleJob } from '../jobs/jobs.js';
import type { Sweep } from '../jobs/scheduler.js';
import { formatWhen } from '../time.js';
import { type Cadence, firstAfter, halfCycleMs, nextRound, type RoundSchedule } from './cadence.js';
import { type GroupSize, type LoadedRound, loadRound, nobodyPaired, recordRound } from './run.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'buddy.round': { readonly groupId: number };
  }
}

export const ROUND_JOB = 'buddy.round';
export const roundSeries = (groupId: number) => `match-round:${groupId}`;

export interface StoredSchedule extends RoundSchedule {
  readonly groupSize: GroupSize;
}

export async function roundScheduleOf(db: Db | Tx, groupId: number): Promise<StoredSchedule | undefined> {
  const [row] = await db
    .select()
    .from(schema.matchSchedules)
    .where(eq(schema.matchSchedules.groupId, groupId));
  if (!row) return undefined;
  return {
    weekday: row.weekday,
    localTime: row.localTime,
    anchor: row.anchor,
    groupSize: row.groupSize as GroupSize,
    ...(row.intervalWeeks === null ? {} : { intervalWeeks: row.intervalWeeks }),
  };
}

/** The pending round of a group's schedule, if there is one. */
export async function pendingRoundAt(db: Db | Tx, groupId: number): Promise<Date | undefined> {
  const [job] = await db
    .select({ runAt: schema.jobs.runAt })
    .from(schema.jobs)
    .where(and(eq(schema.jobs.series, roundSeries(groupId)), eq(schema.jobs.status, 'pending')))
    .orderBy(schema.jobs.runAt)
    .limit(1);
  return job?.runAt;
}

async function scheduleRoundAt(tx: Db | Tx, groupId: number, at: Date): Promise<void> {
  await scheduleJob(tx, {
    kind: ROUND_JOB,
    key: `${roundSeries(groupId)}:${at.toISOString()}`,
    series: roundSeries(groupId),
    groupId,
    runAt: at,
    payload: { groupId },
  });
}

/** Set (or change) a group's schedule; the pending round moves with it. Returns the first round. */
export async function setRoundSchedule(
  tx: Tx,
  group: GroupRow,
  cadence: Cadence,
  groupSize: GroupSize,
  now: Date,
): Promise<Date> {
  const first = firstAfter(cadence, group.timezone, now);
  // Every N weeks counts from the first round, so the anchor is that round itself.
  const anchor = cadence.intervalWeeks === undefined ? now : first;
  const values = {
    intervalWeeks: cadence.intervalWeeks ?? null,
    weekday: cadence.weekday,
    localTime: cadence.localTime,
    anchor,
    groupSize,
    updatedAt: now,
  };
  await tx
    .insert(schema.matchSchedules)
    .values({ groupId: group.id, ...values })
    .onConflictDoUpdate({ target: schema.matchSchedules.groupId, set: values });
  await cancelJobs(tx, now, { series: roundSeries(group.id) });
  await scheduleRoundAt(tx, group.id, first);
  return first;
}

/** Only the group size changes; the pending round stays where it is. */
export async function setScheduledSize(tx: Tx, groupId: number, groupSize: GroupSize, now: Date) {
  await tx
    .update(schema.matchSchedules)
    .set({ groupSize, updatedAt: now })
    .where(eq(schema.matchSchedules.groupId, groupId));
}

/** No more automatic rounds; returns whether there was a schedule. */
export async function stopRoundSchedule(tx: Tx, groupId: number, now: Date): Promise<boolean> {
  const removed = await tx
    .delete(schema.matchSchedules)
    .where(eq(schema.matchSchedules.groupId, groupId))
    .returning({ id: schema.matchSchedules.groupId });
  await cancelJobs(tx, now, { series: roundSeries(groupId) });
  return removed.length > 0;
}

/**
 * A scheduled round that could pair nobody: each member taking part hears, kindly, that there is
 * no round this time and when the next is; coordinators hear why, in words that name no one's
 * private choice, and how to stop the rounds.
 */
async function tellNoRound(tx: Tx, group: GroupRow, loaded: LoadedRound, now: Date, next: Date) {
  const taking = loaded.plan.unmatched;
  for (const { id } of taking) {
    const m = loaded.people.get(id)!;
    const when = formatWhen(next, m.timezone ?? group.timezone);
    const why =
      taking.length === 1
        ? 'You were the only member taking part this time, so there was nobody to pair you with.'
        : 'This time nobody could be paired.';
    const text =
      `There is no ${literal(group.name)} peer buddy round today. ${why} That is nothing you did. ` +
      `You are still taking part, and the next round is on ${when}.`;
    await enqueueMessage(tx, now, {
      purpose: `match:no-round:${group.id}:${now.toISOString()}`,
      platform: group.platform,
      destination: { kind: 'dm', userId: m.userId, workspaceId: group.workspaceId },
      message: { text, blocks: [{ type: 'text', text }] },
      groupId: group.id,
    });
  }
  const why =
    taking.length === 0
      ? 'nobody is taking part (or everyone is paused).'
      : taking.length === 1
        ? 'only one member is taking part, and at least two are needed. They have been told, kindly.'
        : nobodyPaired(taking.length);
  const text =
    `Today's scheduled peer buddy round of ${literal(group.name)} did not run: ${why} ` +
    `The next is on ${formatWhen(next, group.timezone)}. Members join in with /copro buddy opt-in; ` +
    'to stop rounds running by themselves, type /copro match schedule off.';
  await notifyCoordinators(tx, now, group.id, `match:no-round:${group.id}:${now.toISOString()}`, {
    text,
    blocks: [{ type: 'text', text }],
  });
}

/** A scheduled round: run it, then schedule the next one. */
export const roundJob: FeatureJob<'buddy.round'> = {
  policy: 'collapse',
  describe: () => 'run a scheduled peer buddy round',
  async run({ tx, now, payload, logger, deps }) {
    const group = await tx.query.groups.findFirst({ where: eq(schema.groups.id, payload.groupId) });
    if (!group) return;
    const schedule = await roundScheduleOf(tx, group.id);
    if (!schedule) return;
    const loaded = await loadRound(tx, group, now, schedule.groupSize, deps.voterSecret);
    const next = nextRound(schedule, group.timezone, new Date(now.getTime() + halfCycleMs(schedule)));
    if (loaded.plan.groups.length > 0) await recordRound(tx, group, loaded, now);
    else {
      logger.info({ groupId: group.id }, 'scheduled peer round skipped: nobody could be paired');
      await tellNoRound(tx, group, loaded, now, next);
    }
    await scheduleRoundAt(tx, group.id, next);
  },
};

/**
 * Make sure every group with a schedule has its next round pending (a job that failed for good
 * leaves none). Run before each scheduler tick; cheap, and idempotent across replicas.
 */
export const ensureRoundsScheduled: Sweep = async (db, now) => {
  const j = schema.jobs;
  const s = schema.matchSchedules;
  const missing = await db
    .select({ groupId: s.groupId, timezone: schema.groups.timezone })
    .from(s)
    .innerJoin(schema.groups, eq(schema.groups.id, s.groupId))
    .where(
      sql`not exists (select 1 from ${j} where ${and(
        eq(j.series, sql`'match-round:' || ${s.groupId}`),
        eq(j.status, 'pending'),
      )})`,
    );
  for (const { groupId, timezone } of missing) {
    const schedule = await roundScheduleOf(db, groupId);
    if (schedule) await scheduleRoundAt(db, groupId, nextRound(schedule, timezone, now));
  }
};
