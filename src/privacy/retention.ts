/**
 * Retention: personal data is kept only while it is needed. Once someone has left every group
 * they were in, and each group's waiting time has passed since they left it (12 months unless its
 * coordinators chose otherwise), everything copro holds about them is erased, as forget-me would.
 * The coordinators' record of actions is kept for a number of years, then its older rows go.
 *
 * A durable job applies it once a day. Its catch-up policy is collapse: after downtime, one run
 * does the work of all the missed days, since each run looks at everything due by then.
 */
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { scheduleJob } from '../jobs/index.js';
import type { NamedPersonalData } from './declaration.js';
import { erasePerson, FORMER_MEMBER_ID } from './forget.js';

export const RETENTION_JOB = 'privacy.retention';
export const DEFAULT_LEFT_MONTHS = 12;
export const DEFAULT_AUDIT_YEARS = 6;
/** When the daily run happens, in UTC: a quiet hour for UK groups. */
const RUN_HOUR_UTC = 3;

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'privacy.retention': Record<string, never>;
  }
}

export interface RetentionSummary {
  readonly erased: number;
  readonly auditRows: number;
}

/** Members who left all their groups, each longer ago than that group keeps people's data. */
async function dueForErasure(tx: Tx, now: Date): Promise<number[]> {
  const gm = schema.groupMembers;
  const s = schema.privacySettings;
  const rows = await tx
    .select({ memberId: gm.memberId })
    .from(gm)
    .leftJoin(s, eq(s.groupId, gm.groupId))
    .groupBy(gm.memberId)
    .having(
      // Typed by hand: a raw Date parameter reaches a Postgres server as Date.toString(), which it cannot read.
      sql`bool_and(${gm.leftAt} is not null and ${gm.leftAt} + make_interval(months => coalesce(${s.leftRetentionMonths}, ${DEFAULT_LEFT_MONTHS}::int)) <= ${now.toISOString()}::timestamptz)`,
    );
  return rows.map((r) => r.memberId);
}

export async function applyRetention(
  tx: Tx,
  declarations: readonly NamedPersonalData[],
  now: Date,
  voterSecret?: Buffer,
): Promise<RetentionSummary> {
  let erased = 0;
  for (const id of await dueForErasure(tx, now)) {
    const [member] = await tx
      .select()
      .from(schema.members)
      .where(and(eq(schema.members.id, id), ne(schema.members.userId, FORMER_MEMBER_ID)));
    if (!member) continue;
    await erasePerson(tx, declarations, member, now, voterSecret);
    erased++;
  }
  let auditRows = 0;
  const groups = await tx
    .select({ id: schema.groups.id, years: schema.privacySettings.auditRetentionYears })
    .from(schema.groups)
    .leftJoin(schema.privacySettings, eq(schema.privacySettings.groupId, schema.groups.id));
  for (const g of groups) {
    const before = new Date(now);
    before.setUTCFullYear(before.getUTCFullYear() - (g.years ?? DEFAULT_AUDIT_YEARS));
    const gone = await tx
      .delete(schema.auditLog)
      .where(and(eq(schema.auditLog.groupId, g.id), lt(schema.auditLog.createdAt, before)))
      .returning({ id: schema.auditLog.id });
    auditRows += gone.length;
  }
  return { erased, auditRows };
}

/** The next daily run, at RUN_HOUR_UTC. */
export function nextRunAfter(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RUN_HOUR_UTC));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** Sweep: make sure the next daily run is scheduled (its key makes this a no-op after the first). */
export async function ensureRetentionScheduled(db: Db, now: Date): Promise<void> {
  const runAt = nextRunAfter(now);
  await scheduleJob(db, {
    kind: RETENTION_JOB,
    key: `${RETENTION_JOB}:${runAt.toISOString()}`,
    series: RETENTION_JOB,
    runAt,
    payload: {},
  });
}
