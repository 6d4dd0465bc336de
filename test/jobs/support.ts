import { asc, eq, sql } from 'drizzle-orm';
import { discordLimits } from '../../adapters/discord/limits.js';
import { slackLimits } from '../../adapters/slack/limits.js';
import { type Db, schema } from '../../db/client.js';
import {
  type ChatPlatform,
  DeliveryError,
  type Destination,
  type Message,
  type MessageRef,
  type PlatformKind,
  type PlatformLimits,
} from '../../src/chat/index.js';
import type { Clock } from '../../src/clock.js';
import { enqueueMessage, type JobHandlers } from '../../src/jobs/index.js';

export interface RecordedCall {
  readonly op: 'post' | 'update';
  readonly to?: Destination;
  readonly ref?: MessageRef;
  readonly text: string;
  readonly message: Message;
  /** Clock time of the call, in ms. */
  readonly at: number;
}

/** What each adapter tells the core about its platform. */
const LIMITS: Record<PlatformKind, PlatformLimits> = {
  slack: slackLimits,
  discord: discordLimits,
  console: { sendRate: { post: [], update: [] }, buttonLabel: 80 },
};

/**
 * A platform that records what the dispatcher asks of it and fails when told to, the way an
 * adapter does (by throwing DeliveryError). It stands in for Slack or Discord only, with their
 * real limits unless a test gives others.
 */
export function recordingPlatform(
  clock: Clock,
  kind: PlatformKind = 'slack',
  limits: PlatformLimits = LIMITS[kind],
) {
  const calls: RecordedCall[] = [];
  const failures: Error[] = [];
  let counter = 0;
  const platform: ChatPlatform & {
    calls: RecordedCall[];
    failNext(...errors: Error[]): void;
    posts(): RecordedCall[];
    updates(): RecordedCall[];
  } = {
    kind,
    limits,
    calls,
    async start() {},
    async stop() {},
    async post(to, message) {
      const failure = failures.shift();
      if (failure) throw failure;
      calls.push({ op: 'post', to, text: message.text, message, at: clock.now().getTime() });
      counter += 1;
      const channelId = to.kind === 'channel' ? to.channelId : to.kind === 'dm' ? `D-${to.userId}` : 'G';
      return { platform: kind, channelId, messageId: `m${counter}` };
    },
    async update(ref, message) {
      const failure = failures.shift();
      if (failure) throw failure;
      calls.push({ op: 'update', ref, text: message.text, message, at: clock.now().getTime() });
    },
    failNext(...errors) {
      failures.push(...errors);
    },
    posts: () => calls.filter((c) => c.op === 'post'),
    updates: () => calls.filter((c) => c.op === 'update'),
  };
  return platform;
}

export const rateLimited = (ms: number) => new DeliveryError('rate_limited', 'ratelimited', ms);
export const unavailable = () => new DeliveryError('unavailable', 'HTTP 500');
export const rejected = () => new DeliveryError('rejected', 'channel_not_found');

export function text(t: string): Message {
  return { text: t, blocks: [{ type: 'text', text: t }] };
}

/** A group with a home channel and the given coordinators (by user id), straight into the tables. */
export async function seedGroup(
  db: Db,
  options: { platform?: PlatformKind; channel?: string; coordinators?: string[]; timezone?: string } = {},
) {
  const platform = options.platform ?? 'slack';
  const [group] = await db
    .insert(schema.groups)
    .values({
      platform,
      workspaceId: 'T1',
      homeChannelId: options.channel ?? 'C-home',
      name: 'Leaflet group',
      timezone: options.timezone ?? 'Europe/London',
    })
    .returning();
  for (const userId of options.coordinators ?? []) {
    const [member] = await db
      .insert(schema.members)
      .values({ platform, workspaceId: 'T1', userId, displayName: userId })
      .returning();
    await db
      .insert(schema.roleAssignments)
      .values({ groupId: group!.id, memberId: member!.id, roleKey: 'coordinator' });
  }
  return group!;
}

export async function outboxRows(db: Db) {
  return db.select().from(schema.outbox).orderBy(asc(schema.outbox.id));
}

export async function jobRow(db: Db, key: string) {
  const [row] = await db.select().from(schema.jobs).where(eq(schema.jobs.key, key));
  return row;
}

export const channel = (channelId: string): Destination => ({
  kind: 'channel',
  channelId,
  workspaceId: 'T1',
});

/** A plain log of handler runs (not part of the schema), with no unique key to hide a double run. */
export async function prepareRunLog(db: Db): Promise<void> {
  await db.execute(sql`create table if not exists test_job_runs (key text not null, replica text not null)`);
  await db.execute(sql`truncate test_job_runs`);
}

/** Handlers for `test.work` jobs that log each run under `replica` and queue one message each. */
export function logging(replica: string, slow = false): JobHandlers {
  return {
    'test.work': {
      async run({ tx, job, now }) {
        await tx.execute(sql`insert into test_job_runs (key, replica) values (${job.key}, ${replica})`);
        // On a server, a short sleep keeps both replicas busy at once.
        if (slow) await tx.execute(sql`select pg_sleep(0.002)`);
        await enqueueMessage(tx, now, {
          purpose: `work:${job.key}`,
          platform: 'console',
          destination: channel('C1'),
          message: text(job.key),
        });
      },
    },
  };
}

export async function runs(db: Db): Promise<{ key: string; replica: string }[]> {
  const result = await db.execute<{ key: string; replica: string }>(
    sql`select key, replica from test_job_runs`,
  );
  return Array.isArray(result)
    ? result
    : (result as unknown as { rows: { key: string; replica: string }[] }).rows;
}
