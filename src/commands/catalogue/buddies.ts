import type { CommandSpec } from '../types.js';

/** A buddy command with no options; its id keeps its literal type, so CommandId stays exact. */
const simple = <Sub extends string>(sub: Sub, summary: string) =>
  ({
    id: `buddy.${sub}`,
    path: ['buddy', sub],
    access: 'member',
    needsGroup: true,
    summary,
    example: `/copro buddy ${sub}`,
    options: [],
  }) as const;

/** Peer buddy pairing. */
export const buddiesCommands = [
  simple('opt-in', 'Take part in peer buddy pairing'),
  simple('opt-out', 'Stop taking part in buddy pairing'),
  simple('status', 'See your buddy and your pairing settings'),
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
