/**
 * Cancelling a meeting: the post says so, the reminders stop, those going or who might go are
 * told, and nothing members put on its agenda is lost. In a series, the open items move to the
 * next meeting of it; otherwise whoever raised each one hears it was not discussed and how to
 * raise it again. The coordinator who cancels gets only their own confirmation.
 */
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/index.js';
import { listOf, plural } from '../text.js';
import { formatWhen } from '../time.js';
import { calendarFile } from './ics.js';
import { meetingTitle, whenFor } from './render.js';
import {
  type AgendaEntry,
  cancelMeetingJobs,
  dmTo,
  findMeeting,
  type MeetingRow,
  nextPosition,
  openItems,
  peopleGoing,
  refreshMeetingPost,
} from './store.js';
import { memberZone } from './zones.js';

const { agendaItems, meetings } = schema;

/** What became of a cancelled meeting's open items. */
interface ItemsOutcome {
  readonly items: number;
  /** The next meeting of the series, when they moved there. */
  readonly next?: MeetingRow;
}

export async function cancelMeeting(ctx: ContextOf<'meeting.cancel'>): Promise<Reply> {
  const { group, deps } = ctx;
  const meeting = await findMeeting(deps.db, group, ctx.args.meeting);
  const now = deps.clock.now();
  if (meeting.status === 'cancelled')
    return privately(`Meeting ${meeting.code} is already cancelled. Nothing changed.`);
  if (meeting.startsAt <= now)
    throw new UserError(
      'meeting_started',
      `Meeting ${meeting.code} has already started, so it cannot be cancelled.`,
    );
  const done = await deps.db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(meetings)
      .set({ status: 'cancelled', cancelledAt: now, sequence: meeting.sequence + 1 })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await cancelMeetingJobs(tx, meeting, now);
    await refreshMeetingPost(tx, group, cancelled!, now);
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'meeting.cancel',
      details: { meeting: meeting.code },
      at: now,
    });
    const people = await peopleGoing(tx, meeting.id, ['going', 'maybe']);
    const others = people.filter((p) => p.id !== ctx.member.id);
    for (const person of others) {
      const zone = await memberZone(tx, group.id, person);
      const text = `Meeting cancelled: "${literal(meeting.title)}" in ${literal(group.name)}, which was due ${whenFor(meeting, group.timezone, zone)}, will not take place. You do not need to do anything. Thank you for planning to come.`;
      await enqueueMessage(tx, now, {
        purpose: `meeting.cancelled:${meeting.id}`,
        platform: group.platform,
        destination: dmTo(person),
        message: { text, blocks: [{ type: 'text', text }], files: [calendarFile([cancelled!], group)] },
        groupId: group.id,
      });
    }
    const items = await carryItemsOver(tx, group, meeting, ctx.member, now);
    return { told: others.length, items, mine: others.length < people.length, cancelled: cancelled! };
  });
  await deps.outbox?.flush();
  const { told, items, mine, cancelled } = done;
  const lines = [
    `Meeting ${meeting.code} ("${literal(meeting.title)}") is cancelled, and its reminders are off.`,
    told > 0
      ? `copro told the ${plural(told, 'person', 'people')} who said they were going or might go.`
      : 'Nobody else had said they were going, so nobody needed telling.',
  ];
  if (items.items > 0 && items.next)
    lines.push(
      `Its ${plural(items.items, 'agenda item')} ${items.items === 1 ? 'moves' : 'move'} to the next meeting of the series, ${items.next.code} (${formatWhen(items.next.startsAt, group.timezone)}), and copro told whoever raised them.`,
    );
  else if (items.items > 0)
    lines.push(
      `Its ${plural(items.items, 'agenda item')} ${items.items === 1 ? 'was' : 'were'} not discussed. There is no later meeting in its series, so copro told whoever raised them how to add them to another meeting.`,
    );
  if (mine)
    lines.push('You had said you would come: open the calendar file to take it out of your calendar.');
  const reply = privately(lines.join('\n'));
  return mine ? { message: { ...reply.message, files: [calendarFile([cancelled], group)] } } : reply;
}

/** The cancelled meeting's open items go to the next meeting of its series, and their raisers are told. */
async function carryItemsOver(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  canceller: MemberRow,
  now: Date,
): Promise<ItemsOutcome> {
  const items = await openItems(tx, meeting.id);
  if (items.length === 0) return { items: 0 };
  const [next] = meeting.seriesId
    ? await tx
        .select()
        .from(meetings)
        .where(
          and(
            eq(meetings.seriesId, meeting.seriesId),
            eq(meetings.status, 'scheduled'),
            gt(meetings.startsAt, meeting.startsAt),
          ),
        )
        .orderBy(asc(meetings.startsAt))
        .limit(1)
        .for('no key update')
    : [];
  if (next) {
    let position = await nextPosition(tx, next.id);
    for (const item of items)
      await tx
        .update(agendaItems)
        .set({ meetingId: next.id, position: position++ })
        .where(eq(agendaItems.id, item.id));
    // Items merged into these go with them, so the agenda still shows what each one covers.
    await tx
      .update(agendaItems)
      .set({ meetingId: next.id })
      .where(
        and(
          eq(agendaItems.status, 'merged'),
          inArray(
            agendaItems.mergedInto,
            items.map((i) => i.id),
          ),
        ),
      );
    await refreshMeetingPost(tx, group, next, now);
  }
  await tellRaisers(tx, group, meeting, items, canceller, now, next);
  return { items: items.length, next };
}

async function tellRaisers(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  items: readonly AgendaEntry[],
  canceller: MemberRow,
  now: Date,
  next: MeetingRow | undefined,
): Promise<void> {
  const raisers = [...new Set(items.map((i) => i.raisedBy).filter((id): id is number => id !== null))];
  if (raisers.length === 0) return;
  // Only people still in the group are told; the coordinator cancelling has their own answer.
  const people = await tx
    .select({ member: schema.members })
    .from(schema.members)
    .innerJoin(
      schema.groupMembers,
      and(eq(schema.groupMembers.memberId, schema.members.id), eq(schema.groupMembers.groupId, group.id)),
    )
    .where(and(inArray(schema.members.id, raisers), isNull(schema.groupMembers.leftAt)));
  for (const { member } of people) {
    if (member.id === canceller.id) continue;
    const theirs = items.filter((i) => i.raisedBy === member.id).map((i) => `"${literal(i.title)}"`);
    const zone = await memberZone(tx, group.id, member);
    const yourItems = `Your agenda ${theirs.length === 1 ? 'item' : 'items'} ${listOf(theirs)}`;
    const cancelled = `${meetingTitle(meeting)} in ${literal(group.name)}, which was due ${whenFor(meeting, group.timezone, zone)}, is cancelled.`;
    const text = next
      ? `${cancelled} ${yourItems} ${theirs.length === 1 ? 'moves' : 'move'} to the next meeting of the series: ${meetingTitle(next)}, ${whenFor(next, group.timezone, zone)}. You do not need to do anything. See its agenda with /copro agenda ${next.code}`
      : `${cancelled} ${yourItems} ${theirs.length === 1 ? 'was' : 'were'} not discussed. To raise ${theirs.length === 1 ? 'it' : 'them'} at another meeting, see the meetings coming up with /copro meetings, then type /copro agenda add ID "item" with that meeting's id.`;
    await enqueueMessage(tx, now, {
      purpose: `meeting.items-after-cancel:${meeting.id}:${member.id}`,
      platform: group.platform,
      destination: dmTo(member),
      message: { text, blocks: [{ type: 'text', text }] },
      groupId: group.id,
    });
  }
}
