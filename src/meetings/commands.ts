import { DateTime } from 'luxon';
import { type Block, literal, withoutBold } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import { accessNeedsSummary, PAPERS_EARLY, summaryLines } from '../onboarding/needs-summary.js';
import { listOf, plural } from '../text.js';
import { formatWhen } from '../time.js';
import { calendarFile } from './ics.js';
import { readMeetingWhen } from './monthly.js';
import { countsLine, meetingTitle, RSVP_LABELS, rsvpButtons, whenFor } from './render.js';
import { describeEvery, monthlyRule, readEvery, seriesStarts } from './series.js';
import { createMeetings, myRsvp, noAnswers, postAheadDays, rsvpCounts } from './store.js';
import { sameMeeting, upcomingMeetings } from './upcoming.js';
import { memberZone } from './zones.js';

const DEFAULT_LENGTH = 60;
const MAX_LENGTH = 12 * 60;
const DAY_MINUTES = 24 * 60;
/** `/copro meetings` shows this many; the rest are counted. */
const LISTED = 10;

function lengthOf(minutes: number | undefined): number {
  const length = minutes ?? DEFAULT_LENGTH;
  if (length < 5 || length > MAX_LENGTH)
    throw new UserError(
      'bad_length',
      'A meeting can last from 5 minutes to 12 hours, e.g. --length 90m or --length 2h.',
    );
  return length;
}

async function newMeeting(ctx: ContextOf<'meeting.new'>): Promise<Reply> {
  const { group, args, deps } = ctx;
  const title = args.title.trim();
  const now = deps.clock.now();
  const every = readEvery(args.every);
  const read = readMeetingWhen(args.when, now, group.timezone, { monthly: every === 'monthly' });
  if (!read.ok) throw new UserError('bad_time', read.question);
  const lengthMinutes = lengthOf(args.length);
  const repeat = every ?? (read.monthly ? 'monthly' : undefined);
  const rule = repeat === 'monthly' ? monthlyRule(read.at, group.timezone, read.rule) : undefined;
  const starts = repeat ? seriesStarts(read.at, repeat, rule, group.timezone) : [read.at];
  const location = args.where?.trim() || undefined;
  // The same command sent twice (a slip, or a second try after a slow answer) plans one meeting.
  const same = await sameMeeting(deps.db, group.id, title, starts[0] as Date);
  if (same)
    throw new UserError(
      'duplicate_meeting',
      `${meetingTitle(same)} is already planned for that time, so nothing new was planned. To change it: /copro meeting edit ${same.code}. To plan another meeting then, give it another title.`,
    );
  const created = await createMeetings(deps.db, {
    group,
    creator: ctx.member,
    title,
    starts,
    lengthMinutes,
    location,
    now,
  });
  const first = created[0]!;
  await audit(deps.db, {
    groupId: group.id,
    actorMemberId: ctx.member.id,
    action: 'meeting.new',
    details: { meetings: created.map((m) => m.code) },
    at: now,
  });
  await deps.outbox?.flush();
  const zone = await memberZone(deps.db, group.id, ctx.member);
  const ahead = await postAheadDays(deps.db, group.id);
  const postAt = new Date(first.startsAt.getTime() - ahead * DAY_MINUTES * 60_000);
  const posting =
    postAt <= now
      ? `Its agenda is posted in <#${group.homeChannelId}> now, with buttons to say who is going.`
      : `Its agenda will be posted in <#${group.homeChannelId}> on ${formatWhen(postAt, group.timezone)}, ${plural(ahead, 'day')} before, with buttons to say who is going. To post it sooner: /copro agenda post ${first.code}`;
  const lines = [
    `${meetingTitle(first)} is planned for ${whenFor(first, group.timezone, zone)}.`,
    `Where: ${location ? literal(location) : `not given yet (add it with /copro meeting edit ${first.code})`}.`,
  ];
  if (repeat && created.length > 1) {
    const rest = created.slice(1).map((m) => `${m.code} (${formatWhen(m.startsAt, group.timezone)})`);
    lines.push(
      `It repeats ${describeEvery(repeat, rule)} at ${DateTime.fromJSDate(first.startsAt, { zone: group.timezone }).toFormat('HH:mm')} (${group.timezone} time): ${created.length} meetings are planned, each with its own id. This one is ${first.code}; the other ${rest.length} are ${listOf(rest)}.`,
    );
  }
  lines.push(...(await planningNotes(ctx, first, now)));
  lines.push(
    posting,
    `Members can suggest items: /copro agenda add ${first.code} "item". To change it: /copro meeting edit ${first.code}. To cancel: /copro meeting cancel ${first.code}.`,
  );
  const text = lines.join('\n');
  return { message: { ...privately(text).message, files: [calendarFile(created, group)] } };
}

/**
 * What the coordinator should plan for, from the access needs members shared in onboarding:
 * counts only, never names.
 */
async function planningNotes(
  ctx: ContextOf<'meeting.new'>,
  { code, startsAt }: { code: string; startsAt: Date },
  now: Date,
): Promise<string[]> {
  const needs = await accessNeedsSummary(ctx.deps.db, ctx.deps.encryptionKey, ctx.group.id);
  if (!needs || needs.shared === 0) return [];
  const notes = [
    `Access needs members shared, to plan for (numbers, not names): ${summaryLines(needs).join('. ')}.`,
  ];
  const early = needs.counts.get(PAPERS_EARLY) ?? 0;
  if (early > 0) {
    const due = new Date(startsAt.getTime() - 7 * DAY_MINUTES * 60_000);
    const asked = `${plural(early, 'member')} asked for papers a week ahead`;
    notes.push(
      due <= now
        ? `${asked}, so papers are due now: add them with /copro meeting papers ${code} "link".`
        : `${asked}, so papers are due by ${formatWhen(due, ctx.group.timezone)}. If none are added by the time the agenda is posted, copro will remind you.`,
    );
  }
  return notes;
}

async function listMeetings(ctx: ContextOf<'meetings'>): Promise<Reply> {
  const { group, deps } = ctx;
  const now = deps.clock.now();
  const upcoming = await upcomingMeetings(deps.db, group.id, now);
  if (upcoming.length === 0)
    return privately(
      ctx.isCoordinator
        ? 'No meetings are planned. Plan one with /copro meeting new "Title" "next Tuesday 2pm".'
        : 'No meetings are planned yet. The coordinators will post them in the channel.',
    );
  if (ctx.args.ics) {
    const file = calendarFile(upcoming, group);
    const text = `The calendar file holds the ${plural(upcoming.length, 'meeting')} coming up. Open it to add ${upcoming.length === 1 ? 'it' : 'them'} to your calendar; a changed meeting updates its entry when you open its new file.`;
    return { message: { ...privately(text).message, files: [file] } };
  }
  const zone = await memberZone(deps.db, group.id, ctx.member);
  const shown = upcoming.slice(0, LISTED);
  const counts = await rsvpCounts(
    deps.db,
    shown.map((m) => m.id),
  );
  const lines: string[] = [];
  // Each meeting comes with its buttons, so an answer can be given from this list too.
  const blocks: Block[] = [{ type: 'heading', text: `Meetings coming up in ${literal(group.name)}` }];
  for (const meeting of shown) {
    const mine = await myRsvp(deps.db, meeting.id, ctx.member.id);
    const answer = mine ? `you said: ${RSVP_LABELS[mine]}` : 'you have not said yet';
    const line =
      `**${meeting.code}** ${literal(meeting.title)}: ${whenFor(meeting, group.timezone, zone)}` +
      `${meeting.location ? `, ${literal(meeting.location)}` : ''}. ` +
      `${countsLine(counts.get(meeting.id) ?? noAnswers)}; ${answer}.`;
    lines.push(`- ${line}`);
    blocks.push({ type: 'text', text: line }, rsvpButtons(meeting));
  }
  if (upcoming.length > shown.length) {
    const more = `And ${plural(upcoming.length - shown.length, 'more meeting')} after these.`;
    lines.push(more);
    blocks.push({ type: 'context', text: more });
  }
  blocks.push({
    type: 'context',
    text: `See an agenda with /copro agenda ID, e.g. /copro agenda ${shown[0]!.code}`,
  });
  const text = `Meetings coming up in ${literal(group.name)}:\n${lines.join('\n')}`;
  return { message: { text: withoutBold(text), blocks } };
}

export const meetingCommands = {
  'meeting.new': newMeeting,
  meetings: listMeetings,
} as const;
