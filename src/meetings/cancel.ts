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
  mergedItems,
  nextPosition,
  openItems,
  peopleGoing,
  refreshMeetingPost,
} from './store.js';
import { memberZone } from './zones.js';

const { agendaItems, meetings } = schema;

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
    const items = await carryItemsOver(tx, group, meeting, now);
    // One message each: those coming hear of the cancel, and of their items with it.
    const raisers = await raisersToTell(tx, group, items.raised, ctx.member);
    for (const person of [...others, ...raisers.filter((r) => !others.some((o) => o.id === r.id))]) {
      const zone = await memberZone(tx, group.id, person);
      const due = whenFor(meeting, group.timezone, zone);
      const coming = others.some((o) => o.id === person.id);
      const theirs = items.raised.filter((i) => i.raisedBy === person.id).map((i) => `"${literal(i.title)}"`);
      const text = [
        coming
          ? `Meeting cancelled: "${literal(meeting.title)}" in ${literal(group.name)}, which was due ${due}, will not take place. Thank you for planning to come.`
          : `Meeting cancelled: "${literal(meeting.title)}" in ${literal(group.name)}, which was due ${due}, will not take place.`,
        theirs.length > 0
          ? itemsSentence(theirs, items.next, group, zone)
          : 'You do not need to do anything.',
      ].join(' ');
      await enqueueMessage(tx, now, {
        purpose: `meeting.cancelled:${meeting.id}`,
        platform: group.platform,
        destination: dmTo(person),
        message: {
          text,
          blocks: [{ type: 'text', text }],
          ...(coming ? { files: [calendarFile([cancelled!], group)] } : {}),
        },
        groupId: group.id,
      });
    }
    return {
      told: others.length,
      items,
      raisersTold: raisers.length,
      mine: others.length < people.length,
      cancelled: cancelled!,
    };
  });
  await deps.outbox?.flush();
  const { told, items, raisersTold, mine, cancelled } = done;
  const lines = [
    `Meeting ${meeting.code} ("${literal(meeting.title)}") is cancelled, and its reminders are off.`,
    told > 0
      ? `copro told the ${plural(told, 'person', 'people')} who said they were going or might go.`
      : 'Nobody else had said they were going, so there was no one to tell.',
  ];
  const count = items.open;
  const them = count === 1 ? 'it' : 'them';
  // Whoever cancels is not told of their own items: they are told here instead.
  if (count > 0 && items.next)
    lines.push(
      `Its ${plural(count, 'agenda item')} ${count === 1 ? 'moves' : 'move'} to the next meeting of the series, ${items.next.code} (${formatWhen(items.next.startsAt, group.timezone)})${raisersTold > 0 ? `, and copro told whoever raised ${them}` : ''}.`,
    );
  else if (count > 0)
    lines.push(
      raisersTold > 0
        ? `Its ${plural(count, 'agenda item')} ${count === 1 ? 'was' : 'were'} not discussed. There is no later meeting in its series, so copro told whoever raised ${them} how to add ${them} to another meeting.`
        : `Its ${plural(count, 'agenda item')} ${count === 1 ? 'was' : 'were'} not discussed, and there is no later meeting in its series. You raised ${them}: add ${them} to the next meeting you plan.`,
    );
  if (mine)
    lines.push('You had said you would come: open the calendar file to take it out of your calendar.');
  const reply = privately(lines.join('\n'));
  return mine ? { message: { ...reply.message, files: [calendarFile([cancelled], group)] } } : reply;
}

/** What became of a cancelled meeting's items. */
interface ItemsOutcome {
  /** How many were open on its agenda. */
  readonly open: number;
  /** The open items and those merged into them: each raiser is told of their own. */
  readonly raised: readonly AgendaEntry[];
  /** The next meeting of the series, when they moved there. */
  readonly next?: MeetingRow;
}

/** The cancelled meeting's open items (and those merged into them) go to the next meeting of its series. */
async function carryItemsOver(
  tx: Tx,
  group: GroupRow,
  meeting: MeetingRow,
  now: Date,
): Promise<ItemsOutcome> {
  const items = await openItems(tx, meeting.id);
  if (items.length === 0) return { open: 0, raised: [] };
  const merged = (await mergedItems(tx, meeting.id)).filter((m) => items.some((i) => i.id === m.mergedInto));
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
    if (merged.length > 0)
      await tx
        .update(agendaItems)
        .set({ meetingId: next.id })
        .where(
          inArray(
            agendaItems.id,
            merged.map((m) => m.id),
          ),
        );
    await refreshMeetingPost(tx, group, next, now);
  }
  return { open: items.length, raised: [...items, ...merged], next };
}

/** Those who raised the items and are still in the group; the coordinator cancelling has their answer. */
async function raisersToTell(
  tx: Tx,
  group: GroupRow,
  items: readonly AgendaEntry[],
  canceller: MemberRow,
): Promise<MemberRow[]> {
  const ids = [...new Set(items.map((i) => i.raisedBy))].filter(
    (id): id is number => id !== null && id !== canceller.id,
  );
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ member: schema.members })
    .from(schema.members)
    .innerJoin(
      schema.groupMembers,
      and(eq(schema.groupMembers.memberId, schema.members.id), eq(schema.groupMembers.groupId, group.id)),
    )
    .where(and(inArray(schema.members.id, ids), isNull(schema.groupMembers.leftAt)))
    .orderBy(asc(schema.members.id));
  return rows.map((r) => r.member);
}

/** "Your agenda item "X" moves to the next meeting of the series: ..." or how to raise it again. */
function itemsSentence(
  titles: readonly string[],
  next: MeetingRow | undefined,
  group: GroupRow,
  zone: string | undefined,
): string {
  const one = titles.length === 1;
  const yours = `Your agenda ${one ? 'item' : 'items'} ${listOf(titles)}`;
  return next
    ? `${yours} ${one ? 'moves' : 'move'} to the next meeting of the series: ${meetingTitle(next)}, ${whenFor(next, group.timezone, zone)}. You do not need to do anything. See its agenda with /copro agenda ${next.code}`
    : `${yours} ${one ? 'was' : 'were'} not discussed. To raise ${one ? 'it' : 'them'} at another meeting, see the meetings coming up with /copro meetings, then type /copro agenda add ID "item" with that meeting's id.`;
}
