import type { CommandSpec } from '../types.js';

/** Quick polls. */
export const pollsCommands = [
  {
    id: 'poll.new',
    path: ['poll'],
    access: 'member',
    needsGroup: true,
    summary: 'Ask the group a question',
    example: '/copro poll "Which day suits you?" "Monday" "Wednesday" --closes 3d',
    options: [
      {
        name: 'question',
        type: 'string',
        description: 'The question',
        required: true,
        maxLength: 300,
        placeholder: '"Question?"',
      },
      {
        name: 'options',
        type: 'string',
        description: 'The answers people can choose (2 to 20)',
        required: true,
        // Each is a button: Discord's hold 80 characters, Slack's 75 (checked when the poll is made).
        maxLength: 80,
        placeholder: '"Option A" "Option B" ...',
        variadic: { min: 2, max: 20, item: 'answer' },
      },
      { name: 'multi', type: 'flag', named: true, description: 'People may pick more than one answer' },
      {
        name: 'ranked',
        type: 'flag',
        named: true,
        description: 'People put the answers in order of priority',
      },
      { name: 'anonymous', type: 'flag', named: true, description: 'Nobody can see who voted for what' },
      {
        name: 'hide-results',
        type: 'flag',
        named: true,
        description: 'Show results only when the poll closes',
      },
      {
        name: 'closes',
        type: 'string',
        named: true,
        description: 'When it closes, e.g. 3d or "friday 5pm"',
        placeholder: '3d',
      },
    ],
  },
  {
    id: 'poll.close',
    path: ['poll', 'close'],
    access: 'member',
    needsGroup: true,
    summary: 'Close a poll now and post its results',
    who: 'The person who started the poll, or a coordinator, can use it.',
    example: '/copro poll close P7K2',
    options: [
      { name: 'poll', type: 'string', description: 'The poll id', required: true, placeholder: 'ID' },
    ],
  },
  {
    id: 'poll.starters',
    path: ['poll', 'starters'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Choose who can start polls',
    example: '/copro poll starters coordinators',
    options: [
      {
        name: 'who',
        type: 'string',
        description: 'everyone or coordinators',
        required: true,
        choices: ['everyone', 'coordinators'],
        placeholder: 'everyone|coordinators',
      },
    ],
  },
  {
    id: 'polls',
    path: ['polls'],
    access: 'member',
    needsGroup: true,
    summary: 'See open polls and whether you have voted',
    example: '/copro polls',
    readOnly: true,
    options: [],
  },
] as const satisfies readonly CommandSpec[];
