import type { CommandSpec } from '../types.js';

/** Peer buddy pairing. */
export const buddiesCommands = [
  ...(['opt-in', 'opt-out', 'status'] as const).map(
    (sub): CommandSpec => ({
      id: `buddy.${sub}`,
      path: ['buddy', sub],
      access: 'member',
      needsGroup: true,
      summary: {
        'opt-in': 'Take part in peer buddy pairing',
        'opt-out': 'Stop taking part in buddy pairing',
        status: 'See your buddy and your pairing settings',
      }[sub],
      example: `/copro buddy ${sub}`,
      options: [],
    }),
  ),
  {
    id: 'buddy.pause',
    path: ['buddy', 'pause'],
    access: 'member',
    needsGroup: true,
    summary: 'Take a break from buddy pairing for a while',
    example: '/copro buddy pause 4w',
    options: [
      {
        name: 'for',
        type: 'duration',
        description: 'How long, e.g. 2w or 30d',
        required: true,
        placeholder: '4w',
      },
    ],
  },
  {
    id: 'match.run',
    path: ['match', 'run'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Pair buddies now',
    example: '/copro match run --dry-run',
    options: [
      { name: 'dry-run', type: 'flag', named: true, description: 'Show the pairs without sending them' },
    ],
  },
  {
    id: 'match.history',
    path: ['match', 'history'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'See past buddy pairs',
    example: '/copro match history',
    options: [],
  },
] as const satisfies readonly CommandSpec[];
