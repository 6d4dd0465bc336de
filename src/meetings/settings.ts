import { schema } from '../../db/client.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import { plural } from '../text.js';
import { cancelMeetingJobs, scheduleMeetingJobs } from './store.js';
import { upcomingMeetings } from './upcoming.js';

/**
 * `/copro meeting post-ahead N`: how many days before each meeting its agenda is posted. Some
 * members need a week or more to prepare; agendas not yet posted move to the new day.
 */
export async function setPostAhead(ctx: ContextOf<'meeting.post-ahead'>): Promise<Reply> {
  const { group, deps } = ctx;
  const days = ctx.args.days;
  if (days < 1 || days > 28)
    throw new UserError('bad_days', 'Please choose from 1 to 28 days before the meeting.');
  const now = deps.clock.now();
  const moved = await deps.db.transaction(async (tx) => {
    await tx
      .insert(schema.meetingSettings)
      .values({ groupId: group.id, postAheadDays: days })
      .onConflictDoUpdate({ target: schema.meetingSettings.groupId, set: { postAheadDays: days } });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'meeting.post-ahead',
      details: { days },
      at: now,
    });
    let count = 0;
    for (const meeting of await upcomingMeetings(tx, group.id, now)) {
      if (meeting.agendaPostedAt) continue;
      await cancelMeetingJobs(tx, meeting, now);
      await scheduleMeetingJobs(tx, group, meeting, now, days);
      count++;
    }
    return count;
  });
  await deps.outbox?.flush();
  return privately(
    `From now on each meeting's agenda is posted ${plural(days, 'day')} before it.` +
      (moved > 0 ? ` That applies to the ${plural(moved, 'meeting')} whose agenda is not posted yet.` : ''),
  );
}
