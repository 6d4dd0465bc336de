/** How meetings and agendas look in messages: the same wording in the channel, lists and DMs. */
import { DateTime } from 'luxon';
import type { MeetingAccess } from '../../db/schema/meetings.js';
import { type Block, literal, type Message, withoutBold } from '../chat/index.js';
import type { GroupRow } from '../groups/types.js';
import { mention, plural } from '../text.js';
import type { AgendaEntry, MeetingRow, RsvpCounts } from './store.js';
import { shareTime } from './timing.js';

export const RSVP_ACTION = 'meeting.rsvp';

export const RSVP_LABELS = { going: 'Going', 'not-going': "Can't make it", maybe: 'Maybe' } as const;

const clock = (at: DateTime) => at.toFormat('HH:mm');

/** "Tuesday 8 December 2026, 14:00 to 15:30 (Europe/London time)". */
export function whenIn(meeting: Pick<MeetingRow, 'startsAt' | 'lengthMinutes'>, zone: string): string {
  const start = DateTime.fromJSDate(meeting.startsAt, { zone }).setLocale('en-GB');
  const end = start.plus({ minutes: meeting.lengthMinutes });
  const endText = end.hasSame(start, 'day') ? clock(end) : end.toFormat("cccc d LLLL 'at' HH:mm");
  return `${start.toFormat('cccc d LLLL yyyy')}, ${clock(start)} to ${endText} (${zone} time)`;
}

/**
 * When a meeting is, in the group's timezone and, if the reader's clocks differ, in theirs too,
 * so nobody has to work out an offset.
 */
export function whenFor(
  meeting: Pick<MeetingRow, 'startsAt' | 'lengthMinutes'>,
  groupZone: string,
  readerZone: string | undefined,
): string {
  const group = whenIn(meeting, groupZone);
  if (!readerZone || readerZone === groupZone) return group;
  const theirs = DateTime.fromJSDate(meeting.startsAt, { zone: readerZone });
  const ours = DateTime.fromJSDate(meeting.startsAt, { zone: groupZone });
  if (theirs.offset === ours.offset) return group;
  return `${group}; for you that is ${whenIn(meeting, readerZone)}`;
}

export function countsLine(counts: RsvpCounts): string {
  return `${counts.going} going, ${counts.maybe} maybe, ${counts['not-going']} can't make it`;
}

function yesNo(value: boolean | undefined, yes: string, no: string): string | undefined {
  return value === undefined ? undefined : value ? yes : no;
}

/** What someone planning to come needs to know: getting in, following along, breaks, papers. */
export function accessLines(meeting: Pick<MeetingRow, 'access' | 'papers'>): string[] {
  const access: MeetingAccess = meeting.access;
  const lines = [
    yesNo(access.stepFree, 'The venue is step-free.', 'The venue is not step-free.'),
    yesNo(access.captions, 'Captions are on for anyone joining online.', 'There are no captions.'),
    yesNo(access.breaks, 'There will be breaks.', 'There is no planned break.'),
  ].filter((l): l is string => l !== undefined);
  if (meeting.papers.length > 0)
    lines.push(`Papers: ${meeting.papers.map((p, i) => `[paper ${i + 1}](${p})`).join(', ')}.`);
  else if (access.papersBy) lines.push(`Papers will follow: ${literal(access.papersBy)}.`);
  else lines.push('There are no papers yet.');
  if (lines.length === 1)
    lines.unshift(
      'Ask a coordinator if you need help to take part, such as step-free entry, captions or breaks.',
    );
  return lines;
}

/** The agenda with times; timings that do not add up are said so at the end. */
export function agendaLines(
  meeting: Pick<MeetingRow, 'startsAt' | 'lengthMinutes'>,
  items: readonly AgendaEntry[],
  merged: readonly AgendaEntry[],
  zone: string,
): string[] {
  if (items.length === 0)
    return ['Nothing on the agenda yet. Any member can suggest an item with /copro agenda add.'];
  const timing = shareTime(
    items.map((i) => i.minutes),
    meeting.lengthMinutes,
  );
  const start = DateTime.fromJSDate(meeting.startsAt, { zone });
  const lines = items.map((item, index) => {
    const slot = timing.slots[index] ?? { start: 0, minutes: 0 };
    const at = clock(start.plus({ minutes: slot.start }));
    const parts = merged.filter((m) => m.mergedInto === item.id);
    // Whoever was to speak to an item merged into this one still does.
    const speakers = [
      ...new Set([item, ...parts].flatMap((i) => (i.speakerUserId ? [i.speakerUserId] : []))),
    ];
    const speaker = speakers.map((userId) => `, ${mention({ userId })}`).join('');
    const joined = parts.map((m) => literal(m.title));
    const also = joined.length > 0 ? ` (with: ${joined.join('; ')})` : '';
    const note = item.note ? `\n   ${literal(item.note)}` : '';
    return `${index + 1}. ${at} ${literal(item.title)}${also} (${plural(slot.minutes, 'minute')}${speaker})${note}`;
  });
  if (timing.problem) lines.push(`Timings: ${timing.problem}`);
  return lines;
}

export function rsvpButtons(meeting: Pick<MeetingRow, 'code'>, actionId = RSVP_ACTION): Block {
  return {
    type: 'buttons',
    buttons: [
      { actionId, label: RSVP_LABELS.going, value: `${meeting.code}:going`, style: 'primary' },
      { actionId, label: RSVP_LABELS['not-going'], value: `${meeting.code}:not-going` },
      { actionId, label: RSVP_LABELS.maybe, value: `${meeting.code}:maybe` },
    ],
  };
}

export const meetingTitle = (meeting: Pick<MeetingRow, 'code' | 'title'>) =>
  `Meeting ${meeting.code}: ${literal(meeting.title)}`;

/** The meeting's post in the channel: details, access, agenda and the RSVP buttons. */
export function agendaPostMessage(
  group: GroupRow,
  meeting: MeetingRow,
  items: readonly AgendaEntry[],
  merged: readonly AgendaEntry[],
  counts: RsvpCounts,
): Message {
  const cancelled = meeting.status === 'cancelled';
  const heading = `${meetingTitle(meeting)}${cancelled ? ' (cancelled)' : ''}`;
  const details = [
    `When: ${whenIn(meeting, group.timezone)}`,
    `Where: ${meeting.location ? literal(meeting.location) : 'to be confirmed'}`,
  ];
  const access = accessLines(meeting);
  const agenda = agendaLines(meeting, items, merged, group.timezone);
  if (cancelled) {
    const text = `${heading}\nThis meeting has been cancelled. It was due ${whenIn(meeting, group.timezone)}.`;
    return {
      text: withoutBold(text),
      blocks: [
        { type: 'heading', text: heading },
        { type: 'text', text: text.split('\n')[1]! },
      ],
    };
  }
  const rsvp = `${countsLine(counts)}. Will you come?`;
  const text = [heading, ...details, 'Access:', ...access, 'Agenda:', ...agenda, rsvp].join('\n');
  return {
    text: withoutBold(text),
    blocks: [
      { type: 'heading', text: heading },
      { type: 'text', text: details.join('\n') },
      { type: 'text', text: `**Access**\n${access.map((l) => `- ${l}`).join('\n')}` },
      { type: 'text', text: `**Agenda**\n${agenda.join('\n')}` },
      {
        type: 'context',
        text: `Suggest an item: /copro agenda add ${meeting.code} "item". Your answer helps plan the room and papers.`,
      },
      { type: 'text', text: rsvp },
      rsvpButtons(meeting),
    ],
  };
}
