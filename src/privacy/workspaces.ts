/**
 * A Slack workspace that uninstalls copro (or revokes its tokens), or a Discord server that
 * removes it: nothing more is run or sent for it, at once and on every later tick (other features'
 * sweeps may plan new work for its groups; this sweep runs last and cancels it), and after the
 * grace period in config (COPRO_REMOVED_WORKSPACE_DAYS, 30 days by default) everything copro holds
 * about it is erased: every member as forget-me would, then its groups with all that hangs off
 * them. Other workspaces are not touched.
 */
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { PlatformKind } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import { scheduleJob } from '../jobs/index.js';
import type { NamedPersonalData } from './declaration.js';
import { erasePerson } from './forget.js';

export const ERASE_WORKSPACE_JOB = 'privacy.erase-workspace';
export const DEFAULT_REMOVED_WORKSPACE_DAYS = 30;

export interface Space {
  readonly platform: PlatformKind;
  readonly workspaceId: string;
}

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'privacy.erase-workspace': { readonly platform: PlatformKind; readonly workspaceId: string };
  }
}

function groupsOf(space: Space): SQL {
  return sql`(select ${schema.groups.id} from ${schema.groups} where ${schema.groups.platform} = ${space.platform} and ${schema.groups.workspaceId} = ${space.workspaceId})`;
}

/** Cancel the space's pending jobs and messages. Returns how many of each. */
export async function stopWork(db: Db | Tx, space: Space, now: Date) {
  const j = schema.jobs;
  const jobs = await db
    .update(j)
    .set({ status: 'cancelled', finishedAt: now, key: sql`${j.key} || ':cancelled:' || ${j.id}` })
    .where(and(eq(j.status, 'pending'), sql`${j.groupId} in ${groupsOf(space)}`))
    .returning({ id: j.id });
  const o = schema.outbox;
  const messages = await db
    .update(o)
    .set({ status: 'dead', deadAt: now, lastError: 'the workspace removed copro' })
    .where(
      and(
        eq(o.status, 'pending'),
        or(
          sql`${o.groupId} in ${groupsOf(space)}`,
          and(eq(o.platform, space.platform), sql`${o.destination}->>'workspaceId' = ${space.workspaceId}`),
        ),
      ),
    )
    .returning({ id: o.id });
  return { jobs: jobs.length, messages: messages.length };
}

export async function workspaceRemoved(deps: FeatureDeps, space: Space): Promise<void> {
  const now = deps.clock.now();
  const days = deps.removedWorkspaceDays ?? DEFAULT_REMOVED_WORKSPACE_DAYS;
  const eraseAt = new Date(now.getTime() + days * 24 * 3_600_000);
  await deps.db.transaction(async (tx) => {
    const marked = await tx
      .insert(schema.removedWorkspaces)
      .values({ ...space, removedAt: now, eraseAt })
      .onConflictDoNothing()
      .returning();
    const stopped = await stopWork(tx, space, now);
    // Not tied to a group: the groups' own jobs are what was just cancelled.
    if (marked.length > 0)
      await scheduleJob(tx, {
        kind: ERASE_WORKSPACE_JOB,
        key: `${ERASE_WORKSPACE_JOB}:${space.platform}:${space.workspaceId}:${now.toISOString()}`,
        runAt: eraseAt,
        payload: { ...space },
      });
    deps.logger.info(
      { platform: space.platform, ...stopped, eraseAt },
      'a workspace removed copro: its work is stopped',
    );
  });
}

/** Sweep, after every other feature's: cancel whatever was planned again for a removed space. */
export async function keepRemovedWorkspacesStopped(db: Db, now: Date): Promise<void> {
  const removed = await db.select().from(schema.removedWorkspaces);
  for (const space of removed) await stopWork(db, space, now);
}

/** Erase everything about the space: its people (as forget-me does), then its groups. */
export async function eraseWorkspace(
  tx: Tx,
  declarations: readonly NamedPersonalData[],
  space: Space,
  now: Date,
  voterSecret?: Buffer,
): Promise<number> {
  const [still] = await tx
    .select()
    .from(schema.removedWorkspaces)
    .where(
      and(
        eq(schema.removedWorkspaces.platform, space.platform),
        eq(schema.removedWorkspaces.workspaceId, space.workspaceId),
      ),
    );
  if (!still) return 0;
  const m = schema.members;
  const people = await tx
    .select()
    .from(m)
    .where(and(eq(m.platform, space.platform), eq(m.workspaceId, space.workspaceId)));
  for (const person of people) await erasePerson(tx, declarations, person, now, voterSecret);
  const groupIds = (
    await tx
      .select({ id: schema.groups.id })
      .from(schema.groups)
      .where(sql`${schema.groups.id} in ${groupsOf(space)}`)
  ).map((g) => g.id);
  if (groupIds.length > 0) await tx.delete(schema.groups).where(inArray(schema.groups.id, groupIds));
  await tx.delete(m).where(and(eq(m.platform, space.platform), eq(m.workspaceId, space.workspaceId)));
  await tx
    .delete(schema.removedWorkspaces)
    .where(
      and(
        eq(schema.removedWorkspaces.platform, space.platform),
        eq(schema.removedWorkspaces.workspaceId, space.workspaceId),
      ),
    );
  return people.length;
}

/**
 * The workspace uses copro again (someone ran /copro setup after adding it back): it is no longer
 * removed, and its erasure is called off. Work cancelled meanwhile stays cancelled; recurring work
 * (the digest) is planned again by its feature's sweep.
 */
export async function workspaceBack(db: Db | Tx, space: Space, now: Date): Promise<boolean> {
  const back = await db
    .delete(schema.removedWorkspaces)
    .where(
      and(
        eq(schema.removedWorkspaces.platform, space.platform),
        eq(schema.removedWorkspaces.workspaceId, space.workspaceId),
      ),
    )
    .returning();
  if (back.length === 0) return false;
  const j = schema.jobs;
  await db
    .update(j)
    .set({ status: 'cancelled', finishedAt: now, key: sql`${j.key} || ':cancelled:' || ${j.id}` })
    .where(
      and(
        eq(j.status, 'pending'),
        eq(j.kind, ERASE_WORKSPACE_JOB),
        sql`${j.payload} @> ${JSON.stringify(space)}::jsonb`,
      ),
    );
  return true;
}
