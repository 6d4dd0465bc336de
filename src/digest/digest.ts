/**
 * Sending the weekly digest, as a recurring durable job.
 *
 * Each group has at most one pending "digest.send" job, in the series "digest:<group id>", keyed
 * by the instant it is due, so the same week can never be scheduled or sent twice. The job
 * composes the digest, queues it in the outbox, records when it was sent and schedules the next
 * occurrence, all in the job's transaction: a crash leaves either all of that or none of it.
 *
 * After downtime the next occurrence is counted from now, not from the missed time, so several
 * missed weeks become one digest that says which weeks it covers (the "collapse" policy).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, type GroupRow, schema, type Tx } from '../../db/client.js';
import type { FeatureJob } from '../features.js';
import {
  cancelJobs,
  type JobPayloads,
  type JobRow,
  type JobSpec,
  scheduleJob,
  scheduleJobs,
} from '../jobs/jobs.js';
import { enqueueMessage, enqueueMessages } from '../jobs/outbox.js';
import type { Sweep } from '../jobs/scheduler.js';
import { composeDigest, composeDigests, type Digest } from './compose.js';
import { DEFAULT_DIGEST_TIME, nextOccurrences, occurrencesBetween, type WeeklyTime } from './schedule.js';
import type { DigestSectionBuilder } from './sections.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'digest.send': { readonly groupId: number };
  }
}

export const DIGEST_JOB = 'digest.send';
const WEEK_MS = 7 * 24 * 3_600_000;

export const digestSeries = (groupId: number) => `digest:${groupId}`;

export interface DigestOptions {
  /** The sections to show, in order: every feature's (FeatureDeps.digestSections). */
  readonly sections: readonly DigestSectionBuilder[];
}

export interface DigestSchedule extends WeeklyTime {
  readonly lastSentAt: Date | null;
}

/** Several groups' schedules in one query, by group (no entry: the default time, never sent). */
async function digestSchedulesOf(
  db: Db | Tx,
  groupIds: readonly number[],
): Promise<Map<number, DigestSchedule>> {
  const rows = await db
    .select()
    .from(schema.digestSchedules)
    .where(inArray(schema.digestSchedules.groupId, [...groupIds]));
  return new Map(
    rows.map((r) => [r.groupId, { weekday: r.weekday, localTime: r.localTime, lastSentAt: r.lastSentAt }]),
  );
}

export async function digestScheduleOf(db: Db | Tx, groupId: number): Promise<DigestSchedule> {
  const [row] = await db
    .select()
    .from(schema.digestSchedules)
    .where(eq(schema.digestSchedules.groupId, groupId));
  return row
    ? { weekday: row.weekday, localTime: row.localTime, lastSentAt: row.lastSentAt }
    : { ...DEFAULT_DIGEST_TIME, lastSentAt: null };
}

/** A group's next digest, after `now`. */
function nextDigestJob(
  group: Pick<GroupRow, 'id' | 'timezone'>,
  when: WeeklyTime,
  now: Date,
): JobSpec<'digest.send'> {
  const [next] = nextOccurrences(when, group.timezone, now, 1) as [Date];
  return {
    kind: DIGEST_JOB,
    key: `${digestSeries(group.id)}:${next.toISOString()}`,
    series: digestSeries(group.id),
    groupId: group.id,
    runAt: next,
    payload: { groupId: group.id },
  };
}

/** Queue the next digest for a group, after `now`, unless that occurrence is already known. */
export async function scheduleNextDigest(
  tx: Db | Tx,
  group: Pick<GroupRow, 'id' | 'timezone'>,
  when: WeeklyTime,
  now: Date,
): Promise<Date> {
  const job = nextDigestJob(group, when, now);
  await scheduleJob(tx, job);
  return job.runAt;
}

/** Change when a group's digest goes out; the pending occurrence moves with it. */
export async function setDigestSchedule(tx: Tx, group: GroupRow, when: WeeklyTime, now: Date): Promise<void> {
  await tx
    .insert(schema.digestSchedules)
    .values({ groupId: group.id, weekday: when.weekday, localTime: when.localTime, updatedAt: now })
    .onConflictDoUpdate({
      target: schema.digestSchedules.groupId,
      set: { weekday: when.weekday, localTime: when.localTime, updatedAt: now },
    });
  await cancelJobs(tx, now, { series: digestSeries(group.id) });
  await scheduleNextDigest(tx, group, when, now);
}

/** The digest a group would get now, covering what happened since the last one (or a week). */
export async function digestFor(
  db: Db | Tx,
  group: GroupRow,
  now: Date,
  options: DigestOptions & { readonly weeks?: number; readonly zone?: string },
): Promise<Digest> {
  const schedule = await digestScheduleOf(db, group.id);
  const weeks = options.weeks ?? 1;
  const since = schedule.lastSentAt ?? new Date(now.getTime() - weeks * WEEK_MS);
  return composeDigest({
    db,
    group,
    since,
    until: now,
    weeks,
    zone: options.zone,
    sections: options.sections,
  });
}

/** Queue a digest for the group's channel and remember it was sent, in the caller's transaction. */
export async function sendDigest(
  tx: Tx,
  group: GroupRow,
  digest: Digest,
  purpose: string,
  now: Date,
): Promise<void> {
  await enqueueMessage(tx, now, {
    purpose,
    platform: group.platform,
    destination: { kind: 'channel', channelId: group.homeChannelId, workspaceId: group.workspaceId },
    message: digest.message,
    groupId: group.id,
  });
  await tx
    .insert(schema.digestSchedules)
    .values({ groupId: group.id, lastSentAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: schema.digestSchedules.groupId, set: { lastSentAt: now } });
}

/**
 * The weekly send: collapse, so missed weeks become one digest that says what it covers. The
 * scheduler hands over the batch's due digests together, and they are composed and queued in a
 * few statements for all of them: Monday morning is a thousand groups at once.
 */
export const digestJob: FeatureJob<'digest.send'> = {
  policy: 'collapse',
  describe: () => "send this week's digest to the group's channel",
  run: ({ tx, job, now, deps }) => sendDueDigests(tx, [job], now, deps.digestSections),
  runMany: ({ tx, jobs, now, deps }) => sendDueDigests(tx, jobs, now, deps.digestSections),
};

async function sendDueDigests(
  tx: Tx,
  jobs: readonly JobRow[],
  now: Date,
  sections: readonly DigestSectionBuilder[],
): Promise<void> {
  const groupIdOf = (job: JobRow) => (job.payload as JobPayloads['digest.send']).groupId;
  const ids = [...new Set(jobs.map(groupIdOf))];
  const groups = new Map(
    (await tx.select().from(schema.groups).where(inArray(schema.groups.id, ids))).map((g) => [g.id, g]),
  );
  const schedules = await digestSchedulesOf(tx, ids);
  const due = jobs.flatMap((job) => {
    const group = groups.get(groupIdOf(job));
    if (!group) return [];
    const schedule = schedules.get(group.id) ?? { ...DEFAULT_DIGEST_TIME, lastSentAt: null };
    // This run, any runs folded into it at catch-up, and the send times missed since it fell due.
    const weeks = 1 + job.collapsedRuns + occurrencesBetween(schedule, group.timezone, job.runAt, now);
    const since = schedule.lastSentAt ?? new Date(now.getTime() - weeks * WEEK_MS);
    return [{ job, group, schedule, weeks, since, until: now }];
  });
  if (due.length === 0) return;
  const digests = await composeDigests(tx, sections, due);
  await enqueueMessages(
    tx,
    now,
    due.map(({ job, group }, i) => ({
      purpose: `digest:${job.key}`,
      platform: group.platform,
      destination: { kind: 'channel', channelId: group.homeChannelId, workspaceId: group.workspaceId },
      message: (digests[i] as Digest).message,
      groupId: group.id,
    })),
  );
  const once = [...new Map(due.map((d) => [d.group.id, d])).values()];
  await tx
    .insert(schema.digestSchedules)
    .values(once.map(({ group }) => ({ groupId: group.id, lastSentAt: now, updatedAt: now })))
    .onConflictDoUpdate({ target: schema.digestSchedules.groupId, set: { lastSentAt: now } });
  await scheduleJobs(
    tx,
    once.map(({ group, schedule }) => nextDigestJob(group, schedule, now)),
  );
}

/**
 * Make sure every group has its next digest scheduled: new groups, and groups whose last digest
 * job failed for good. Run before each scheduler tick; cheap, and idempotent across replicas.
 */
export const ensureDigestsScheduled: Sweep = async (db, now) => {
  const j = schema.jobs;
  const g = schema.groups;
  const missing = await db
    .select({ id: g.id, timezone: g.timezone })
    .from(g)
    .where(
      sql`not exists (select 1 from ${j} where ${and(
        eq(j.series, sql`'digest:' || ${g.id}`),
        eq(j.status, 'pending'),
      )})`,
    );
  for (const group of missing) {
    await scheduleNextDigest(db, group, await digestScheduleOf(db, group.id), now);
  }
};
