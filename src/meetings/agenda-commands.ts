/**
 * The agenda members shape: any member adds items (and says who will speak to them);
 * coordinators order, merge and defer them. Every change updates the posted agenda in place.
 */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal, withoutBold } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { ensureMentioned } from '../groups/members.js';
import { isGroupMember } from '../groups/membership.js';
import type { GroupRow } from '../groups/types.js';
import { mention, plural } from '../text.js';
import { accessLines, agendaLines, meetingTitle, whenFor } from './render.js';
import {
  type AgendaEntry,
  findMeeting,
  type MeetingRow,
  mergedItems,
  mustBeUpcoming,
  nextPosition,
  openItems,
  postMeeting,
  refreshMeetingPost,
} from './store.js';
import { nextMeeting } from './upcoming.js';
import { memberZone } from './zones.js';

const { agendaItems, meetings } = schema;
/** An agenda that long is a meeting nobody can prepare for. */
const MAX_ITEMS = 30;

async function addItem(ctx: ContextOf<'agenda.add'>): Promise<Reply> {
  const { group, args, deps } = ctx;
  const now = deps.clock.now();
  const meeting = await findMeeting(deps.db, group, args.meeting);
  mustBeUpcoming(meeting, now, 'add to its agenda');
  const title = args.item.trim();
  if (!title) throw new UserError('empty_item', 'Please say what the item is, in "quotes".');
  if (args.minutes !== undefined && (args.minutes < 1 || args.minutes > meeting.lengthMinutes))
    throw new UserError(
      'bad_minutes',
      `--minutes is how long the item needs: from 1 to ${meeting.lengthMinutes}, the meeting's length.`,
    );
  const speaker = args.speaker
    ? await ensureMentioned(deps.db, group.platform, group.workspaceId, args.speaker)
    : ctx.member;
  if (speaker.id !== ctx.member.id && !(await isGroupMember(deps, group, speaker, ctx.actor)))
    throw new UserError(
      'speaker_not_member',
      `${mention(speaker)} is not a member of ${literal(group.name)}, so copro cannot put them down to speak. Name someone in <#${group.homeChannelId}>, or leave out --speaker to speak to it yourself. Nothing was added.`,
    );
  const number = await deps.db.transaction(async (tx) => {
    await lockMeeting(tx, meeting.id);
    const position = await nextPosition(tx, meeting.id);
    if (position > MAX_ITEMS)
      throw new UserError(
        'too_many_items',
        `Meeting ${meeting.code} already has ${MAX_ITEMS} items, the most one agenda can hold. Ask a coordinator to merge or defer some.`,
      );
    await tx.insert(agendaItems).values({
      meetingId: meeting.id,
      position,
      title,
      note: args.note?.trim() || null,
      minutes: args.minutes ?? null,
      raisedBy: ctx.member.id,
      speakerId: speaker.id,
      createdAt: now,
    });
    await refreshMeetingPost(tx, group, meeting, now);
    return position;
  });
  await deps.outbox?.flush();
  const who = speaker.id === ctx.member.id ? 'you' : mention(speaker);
  const time = args.minutes ? `${plural(args.minutes, 'minute')}` : 'a share of the time left';
  return privately(
    `Thank you. "${literal(title)}" is item ${number} on the agenda of ${meetingTitle(meeting)}, with ${time}; ${who} will speak to it. ` +
      `See the whole agenda: /copro agenda ${meeting.code}`,
  );
}

/** Item changes on one meeting take turns, so two at once never give two items one place. */
async function lockMeeting(tx: Tx, meetingId: number): Promise<void> {
  await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, meetingId)).for('no key update');
}

async function showAgenda(ctx: ContextOf<'agenda.show'>): Promise<Reply> {
  const { group, deps } = ctx;
  const meeting = await findMeeting(deps.db, group, ctx.args.meeting);
  const zone = await memberZone(deps.db, group.id, ctx.member);
  const items = await openItems(deps.db, meeting.id);
  const merged = await mergedItems(deps.db, meeting.id);
  const heading = `${meetingTitle(meeting)}${meeting.status === 'cancelled' ? ' (cancelled)' : ''}`;
  const details = [
    `When: ${whenFor(meeting, group.timezone, zone)}`,
    `Where: ${meeting.location ? literal(meeting.location) : 'to be confirmed'}`,
    ...accessLines(meeting),
  ];
  const readerZone = zone ?? group.timezone;
  const agenda = agendaLines(meeting, items, merged, readerZone);
  const agendaHeading = readerZone === group.timezone ? 'Agenda' : `Agenda (times for you, ${readerZone})`;
  const hint = ctx.isCoordinator
    ? `Coordinators can change the order: /copro agenda move ${meeting.code} ITEM N, /copro agenda merge ${meeting.code} ITEM INTO, /copro agenda defer ${meeting.code} ITEM.`
    : `Suggest an item: /copro agenda add ${meeting.code} "item".`;
  const text = [heading, ...details, `${agendaHeading}:`, ...agenda, hint].join('\n');
  return {
    message: {
      text: withoutBold(text),
      blocks: [
        { type: 'heading', text: heading },
        { type: 'text', text: details.join('\n') },
        { type: 'text', text: `**${agendaHeading}**\n${agenda.join('\n')}` },
        { type: 'context', text: hint },
      ],
    },
  };
}

async function postAgenda(ctx: ContextOf<'agenda.post'>): Promise<Reply> {
  const { group, deps } = ctx;
  const now = deps.clock.now();
  const meeting = await findMeeting(deps.db, group, ctx.args.meeting);
  mustBeUpcoming(meeting, now, 'post its agenda');
  const already = meeting.agendaPostedAt !== null;
  await deps.db.transaction((tx) => postMeeting(tx, group, meeting, now));
  await deps.outbox?.flush();
  return privately(
    already
      ? `The agenda of ${meeting.code} was already posted in <#${group.homeChannelId}>; it is up to date there.`
      : `The agenda of ${meeting.code} is posted in <#${group.homeChannelId}>, with buttons to say who is going.`,
  );
}

/** An open item by the number the agenda shows, with the meeting locked for the change. */
async function itemAt(
  tx: Tx,
  meeting: MeetingRow,
  number: number,
): Promise<{ item: AgendaEntry; items: AgendaEntry[] }> {
  await lockMeeting(tx, meeting.id);
  const items = await openItems(tx, meeting.id);
  const item = items[number - 1];
  if (!item)
    throw new UserError(
      'unknown_item',
      items.length === 0
        ? `Meeting ${meeting.code} has nothing on its agenda yet.`
        : `Meeting ${meeting.code}'s agenda has items 1 to ${items.length}, so there is no item ${number}. See it with /copro agenda ${meeting.code}.`,
    );
  return { item, items };
}

async function renumber(tx: Tx, ordered: readonly { id: number }[]): Promise<void> {
  for (const [index, item] of ordered.entries())
    await tx
      .update(agendaItems)
      .set({ position: index + 1 })
      .where(eq(agendaItems.id, item.id));
}

/** Apply an agenda change, update the post, and answer with the agenda as it is now. */
async function change(
  ctx: { deps: ContextOf<'agenda.move'>['deps']; group: GroupRow; meetingCode: string },
  verb: string,
  apply: (tx: Tx, meeting: MeetingRow, now: Date) => Promise<string>,
): Promise<Reply> {
  const { deps, group } = ctx;
  const now = deps.clock.now();
  const meeting = await findMeeting(deps.db, group, ctx.meetingCode);
  mustBeUpcoming(meeting, now, verb);
  const said = await deps.db.transaction(async (tx) => {
    const done = await apply(tx, meeting, now);
    await refreshMeetingPost(tx, group, meeting, now);
    return done;
  });
  await deps.outbox?.flush();
  const agenda = agendaLines(
    meeting,
    await openItems(deps.db, meeting.id),
    await mergedItems(deps.db, meeting.id),
    group.timezone,
  );
  return privately(`${said}\nThe agenda now:\n${agenda.join('\n')}`);
}

async function moveItem(ctx: ContextOf<'agenda.move'>): Promise<Reply> {
  const { args } = ctx;
  return change({ ...ctx, meetingCode: args.meeting }, 'change its agenda', async (tx, meeting) => {
    const { item, items } = await itemAt(tx, meeting, args.item);
    if (args.to < 1 || args.to > items.length)
      throw new UserError('bad_place', `Please give a place from 1 to ${items.length}.`);
    const rest = items.filter((i) => i.id !== item.id);
    rest.splice(args.to - 1, 0, item);
    await renumber(tx, rest);
    return `"${literal(item.title)}" is now item ${args.to}.`;
  });
}

async function mergeItem(ctx: ContextOf<'agenda.merge'>): Promise<Reply> {
  const { args } = ctx;
  return change({ ...ctx, meetingCode: args.meeting }, 'change its agenda', async (tx, meeting) => {
    const { item, items } = await itemAt(tx, meeting, args.item);
    const target = items[args.into - 1];
    if (!target || target.id === item.id)
      throw new UserError(
        'bad_place',
        `Please name another item to merge it into, from 1 to ${items.length}.`,
      );
    const minutes =
      target.minutes !== null && item.minutes !== null ? target.minutes + item.minutes : target.minutes;
    await tx.update(agendaItems).set({ minutes }).where(eq(agendaItems.id, target.id));
    await tx
      .update(agendaItems)
      .set({ status: 'merged', mergedInto: target.id })
      .where(eq(agendaItems.id, item.id));
    await renumber(
      tx,
      items.filter((i) => i.id !== item.id),
    );
    return `"${literal(item.title)}" is now part of "${literal(target.title)}".`;
  });
}

async function deferItem(ctx: ContextOf<'agenda.defer'>): Promise<Reply> {
  const { args, group } = ctx;
  return change({ ...ctx, meetingCode: args.meeting }, 'change its agenda', async (tx, meeting, now) => {
    const { item, items } = await itemAt(tx, meeting, args.item);
    const next = await nextMeeting(tx, group.id, meeting.startsAt);
    await renumber(
      tx,
      items.filter((i) => i.id !== item.id),
    );
    if (next) {
      await lockMeeting(tx, next.id);
      await tx
        .update(agendaItems)
        .set({ meetingId: next.id, position: await nextPosition(tx, next.id) })
        .where(eq(agendaItems.id, item.id));
      await refreshMeetingPost(tx, group, next, now);
      return `"${literal(item.title)}" moves to the next meeting, ${next.code} ("${literal(next.title)}").`;
    }
    await tx.update(agendaItems).set({ status: 'deferred' }).where(eq(agendaItems.id, item.id));
    return `"${literal(item.title)}" is put off: it will join the agenda of the next meeting planned.`;
  });
}

export const agendaCommands = {
  'agenda.add': addItem,
  'agenda.show': showAgenda,
  'agenda.post': postAgenda,
  'agenda.move': moveItem,
  'agenda.merge': mergeItem,
  'agenda.defer': deferItem,
} as const;
