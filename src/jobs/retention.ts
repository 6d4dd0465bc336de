/**
 * Forgetting finished work. Finished jobs and delivered messages are kept for a while (they are
 * the record of what copro did, and a delivered message's reference is how it gets edited), then
 * removed so the tables stay small. Pending and retrying rows are never touched. The ids of
 * handled platform events go sooner: they only guard against redeliveries.
 */
import { and, inArray, isNull, lt, or } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';

export const RETENTION_DAYS = 90;
/**
 * Platform event ids are only needed while a platform may still redeliver the event (Slack
 * retries for about five minutes); a week leaves a wide margin.
 */
export const EVENT_ID_RETENTION_DAYS = 7;

export interface PruneSummary {
  readonly jobs: number;
  readonly messages: number;
  readonly eventIds: number;
}

export async function pruneFinished(db: Db, now: Date, days = RETENTION_DAYS): Promise<PruneSummary> {
  const before = new Date(now.getTime() - days * 24 * 3_600_000);
  const j = schema.jobs;
  const o = schema.outbox;
  const jobs = await db
    .delete(j)
    .where(
      and(
        inArray(j.status, ['done', 'dropped', 'collapsed', 'cancelled', 'failed']),
        lt(j.finishedAt, before),
      ),
    )
    .returning({ id: j.id });
  const messages = await db
    .delete(o)
    .where(
      and(
        inArray(o.status, ['sent', 'dead']),
        or(lt(o.sentAt, before), and(isNull(o.sentAt), lt(o.deadAt, before))),
      ),
    )
    .returning({ id: o.id });
  const eventIds = await db
    .delete(schema.processedEvents)
    .where(
      lt(
        schema.processedEvents.processedAt,
        new Date(now.getTime() - EVENT_ID_RETENTION_DAYS * 24 * 3_600_000),
      ),
    )
    .returning({ id: schema.processedEvents.eventId });
  return { jobs: jobs.length, messages: messages.length, eventIds: eventIds.length };
}
