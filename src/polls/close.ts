import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/index.js';
import { resultsMessage } from './render.js';
import { ballotsWithRoles, channelOf, markClosed, type PollRow, refreshPollMessage } from './store.js';

/**
 * Close a poll and tell the channel, in the caller's transaction: the closed status, the final
 * version of the poll message and the results post commit together or not at all.
 * Returns false if it was closed already (a second close, or the deadline job after a manual one).
 */
export async function closeAndAnnounce(
  tx: Tx,
  group: GroupRow,
  poll: PollRow,
  now: Date,
  by: MemberRow | undefined,
  secret: Buffer | undefined,
): Promise<boolean> {
  const closed = await markClosed(tx, poll, now, by);
  if (!closed) return false;
  await refreshPollMessage(tx, group, closed, now);
  const names = await roleNames(tx, group.id);
  await enqueueMessage(tx, now, {
    purpose: `poll.results:${poll.id}`,
    platform: group.platform,
    destination: channelOf(group, poll),
    message: resultsMessage(
      closed,
      await ballotsWithRoles(tx, closed, secret),
      (key) => names.get(key) ?? key,
    ),
    groupId: group.id,
  });
  return true;
}

async function roleNames(tx: Tx, groupId: number): Promise<Map<string, string>> {
  const rows = await tx
    .select({ key: schema.roles.key, name: schema.roles.name })
    .from(schema.roles)
    .where(eq(schema.roles.groupId, groupId));
  return new Map(rows.map((r) => [r.key, r.name]));
}

export async function groupOfPoll(tx: Tx, poll: PollRow): Promise<GroupRow | undefined> {
  const [group] = await tx.select().from(schema.groups).where(eq(schema.groups.id, poll.groupId));
  return group;
}
