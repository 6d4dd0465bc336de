import type { CommandSpec, OptionSpec } from '../types.js';

const meeting = {
  name: 'meeting',
  type: 'string',
  description: 'The meeting id, e.g. M7K2',
  required: true,
  placeholder: 'ID',
} as const satisfies OptionSpec;

const item = {
  name: 'item',
  type: 'integer',
  description: 'The item number, as /copro agenda shows it',
  required: true,
  placeholder: 'ITEM',
} as const satisfies OptionSpec;

/** A meeting command that takes only the meeting's id; its id keeps its literal type. */
const onMeeting = <Id extends string, Path extends readonly string[]>(
  id: Id,
  path: Path,
  access: 'member' | 'coordinator',
  summary: string,
) =>
  ({
    id,
    path,
    access,
    needsGroup: true,
    summary,
    example: `/copro ${path.join(' ')} M7K2`,
    options: [meeting],
  }) as const;

/** Meetings and their agendas. */
export const meetingsCommands = [
  {
    id: 'meeting.new',
    path: ['meeting', 'new'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Plan a meeting',
    example: '/copro meeting new "Leaflet review" "next Tuesday 2pm" --where "Zoom" --length 90m',
    options: [
      {
        name: 'title',
        type: 'string',
        description: 'What the meeting is called',
        required: true,
        maxLength: 100,
        placeholder: '"Title"',
      },
      {
        name: 'when',
        type: 'string',
        description: 'When, e.g. "next Tuesday 2pm" or "first Tuesday 2pm"',
        required: true,
        placeholder: '"next Tuesday 2pm"',
      },
      {
        name: 'where',
        type: 'string',
        named: true,
        description: 'Where, or the video link',
        maxLength: 300,
        placeholder: '"..."',
      },
      {
        name: 'length',
        type: 'duration',
        named: true,
        description: 'How long it lasts, e.g. 90m or 2h (default 1 hour)',
        placeholder: '90m',
      },
      {
        name: 'every',
        type: 'string',
        named: true,
        description: 'Repeat it: 4w, 14d or month',
        maxLength: 20,
        placeholder: '4w|month',
      },
    ],
  },
  {
    id: 'meetings',
    path: ['meetings'],
    access: 'member',
    needsGroup: true,
    summary: 'See upcoming meetings, and who is going',
    example: '/copro meetings',
    options: [{ name: 'ics', type: 'flag', named: true, description: 'Get a calendar file of them all' }],
  },
  onMeeting('meeting.edit', ['meeting', 'edit'], 'coordinator', 'Change a meeting (a form)'),
  onMeeting(
    'meeting.notes',
    ['meeting', 'notes'],
    'coordinator',
    'Write down what a meeting decided (a form), and post it',
  ),
  onMeeting(
    'meeting.attendance',
    ['meeting', 'attendance'],
    'coordinator',
    'See who says they were at a meeting, and confirm it',
  ),
  onMeeting('meeting.cancel', ['meeting', 'cancel'], 'coordinator', 'Cancel a meeting and tell those going'),
  {
    id: 'meeting.papers',
    path: ['meeting', 'papers'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Add a link to the papers for a meeting, and tell those going',
    example: '/copro meeting papers M7K2 "https://example.org/papers.pdf"',
    options: [
      meeting,
      {
        name: 'link',
        type: 'string',
        description: 'The link to the papers',
        required: true,
        maxLength: 500,
        placeholder: '"link"',
      },
    ],
  },
  {
    id: 'meeting.post-ahead',
    path: ['meeting', 'post-ahead'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Choose how soon before a meeting to post its agenda',
    example: '/copro meeting post-ahead 10',
    options: [
      {
        name: 'days',
        type: 'integer',
        description: 'How many days before, from 1 to 28 (7 until you change it)',
        required: true,
        placeholder: 'DAYS',
      },
    ],
  },
  {
    id: 'agenda.add',
    path: ['agenda', 'add'],
    access: 'member',
    needsGroup: true,
    summary: 'Suggest an item for a meeting',
    example: '/copro agenda add M7K2 "Payment for reviewers" --minutes 10',
    options: [
      meeting,
      { name: 'item', type: 'text', description: 'The item', required: true, placeholder: '"item"' },
      {
        name: 'note',
        type: 'text',
        named: true,
        description: 'A note for the group about it',
        placeholder: '"..."',
      },
      {
        name: 'minutes',
        type: 'integer',
        named: true,
        description: 'How many minutes it needs',
        placeholder: '10',
      },
      {
        name: 'speaker',
        type: 'user',
        named: true,
        description: 'Who will speak to it (you, unless you say)',
        placeholder: '@person',
      },
    ],
  },
  onMeeting('agenda.show', ['agenda'], 'member', "See a meeting's agenda, with times"),
  onMeeting('agenda.post', ['agenda', 'post'], 'coordinator', 'Post the agenda in the channel now'),
  {
    id: 'agenda.move',
    path: ['agenda', 'move'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Move an agenda item up or down',
    example: '/copro agenda move M7K2 4 1',
    options: [
      meeting,
      item,
      { name: 'to', type: 'integer', description: 'Its new place', required: true, placeholder: 'N' },
    ],
  },
  {
    id: 'agenda.defer',
    path: ['agenda', 'defer'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Move an agenda item to the next meeting',
    example: '/copro agenda defer M7K2 2',
    options: [meeting, item],
  },
  {
    id: 'agenda.merge',
    path: ['agenda', 'merge'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Join two agenda items into one',
    example: '/copro agenda merge M7K2 3 1',
    options: [
      meeting,
      item,
      {
        name: 'into',
        type: 'integer',
        description: 'The item it joins',
        required: true,
        placeholder: 'INTO',
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
