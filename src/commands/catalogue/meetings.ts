import type { CommandSpec, OptionSpec } from '../types.js';

const meeting = {
  name: 'meeting',
  type: 'string',
  description: 'The meeting id',
  required: true,
} as const satisfies OptionSpec;

/** Meetings and their agendas. */
export const meetingsCommands = [
  {
    id: 'meeting.new',
    path: ['meeting', 'new'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Plan a meeting',
    example: '/copro meeting new "Leaflet review" "next Tuesday 2pm" --where "Zoom"',
    options: [
      {
        name: 'title',
        type: 'string',
        description: 'What the meeting is called',
        required: true,
        placeholder: '"Title"',
      },
      {
        name: 'when',
        type: 'string',
        description: 'When, e.g. "next Tuesday 2pm"',
        required: true,
        placeholder: '"next Tuesday 2pm"',
      },
      {
        name: 'where',
        type: 'string',
        named: true,
        description: 'Where, or the video link',
        placeholder: '"..."',
      },
    ],
  },
  {
    id: 'meetings',
    path: ['meetings'],
    access: 'member',
    needsGroup: true,
    summary: 'See upcoming meetings',
    example: '/copro meetings',
    options: [],
  },
  {
    id: 'meeting.cancel',
    path: ['meeting', 'cancel'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Cancel a meeting',
    example: '/copro meeting cancel M3',
    options: [meeting],
  },
  {
    id: 'agenda.add',
    path: ['agenda', 'add'],
    access: 'member',
    needsGroup: true,
    summary: 'Suggest an item for a meeting agenda',
    example: '/copro agenda add M3 "Payment for reviewers"',
    options: [
      meeting,
      { name: 'item', type: 'text', description: 'The item', required: true, placeholder: '"item"' },
    ],
  },
  {
    id: 'agenda.show',
    path: ['agenda'],
    access: 'member',
    needsGroup: true,
    summary: "See a meeting's agenda",
    example: '/copro agenda M3',
    options: [meeting],
  },
  {
    id: 'agenda.post',
    path: ['agenda', 'post'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Post the agenda in the channel',
    example: '/copro agenda post M3',
    options: [meeting],
  },
] as const satisfies readonly CommandSpec[];
