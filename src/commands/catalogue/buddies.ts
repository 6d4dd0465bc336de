import type { CommandSpec, OptionSpec } from '../types.js';

const person = <Name extends string>(name: Name, description: string) =>
  ({ name, type: 'user', description, required: true }) as const satisfies OptionSpec;

const size = {
  name: 'size',
  type: 'string',
  named: true,
  choices: ['2', '3', '4'],
  description: 'People in each group: 2 (pairs, the default), 3 or 4',
  placeholder: '2|3|4',
} as const satisfies OptionSpec;

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

/** A coordinator's rule about two people (pin, forbid and their undoing), with its literal id. */
const pairRule = <Sub extends string>(sub: Sub, summary: string) =>
  ({
    id: `match.${sub}`,
    path: ['match', sub],
    access: 'coordinator',
    needsGroup: true,
    summary,
    example: `/copro match ${sub} @ann @bob`,
    options: [person('a', 'The first person'), person('b', 'The second person')],
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
        // Read by the command itself, so a pause is answered in weeks rather than minutes.
        type: 'string',
        description: 'How long, in weeks or days, e.g. 4w or 10d',
        required: true,
        placeholder: '4w',
        maxLength: 20,
      },
    ],
  },
  {
    id: 'buddy.avoid',
    path: ['buddy', 'avoid'],
    access: 'member',
    needsGroup: true,
    summary: 'Never be paired with someone (private: nobody is told)',
    example: '/copro buddy avoid @sam',
    options: [person('user', 'The person not to be paired with')],
  },
  {
    id: 'buddy.request',
    path: ['buddy', 'request'],
    access: 'member',
    needsGroup: true,
    summary: 'Ask for an experienced buddy to help you find your way',
    example: '/copro buddy request',
    options: [],
  },
  {
    id: 'buddy.capacity',
    path: ['buddy', 'capacity'],
    access: 'member',
    needsGroup: true,
    summary: 'As a buddy, how many newcomers you look after at once',
    example: '/copro buddy capacity 3',
    options: [
      {
        name: 'newcomers',
        type: 'integer',
        description: 'How many, 0 to 10',
        required: true,
        placeholder: 'N',
      },
    ],
  },
  pairRule('pin', 'Pair two people at the next round'),
  pairRule('unpin', 'Undo a pin: stop always pairing two people'),
  pairRule('forbid', 'Never pair two people'),
  pairRule('unforbid', 'Let two people be paired again'),
  {
    id: 'match.run',
    path: ['match', 'run'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Pair buddies now',
    example: '/copro match run --dry-run',
    options: [
      { name: 'dry-run', type: 'flag', named: true, description: 'Show the pairs without sending them' },
      size,
    ],
  },
  {
    id: 'match.schedule',
    path: ['match', 'schedule'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Run buddy rounds by themselves: how often, which day and time; or off',
    example: '/copro match schedule "every 2 weeks on Monday 10:00" --size 3',
    options: [
      {
        name: 'when',
        type: 'text',
        description: 'How often, a weekday and a time, e.g. "every 2 weeks on Monday 10:00", or off',
        placeholder: '"every 2 weeks on Monday 10:00"',
        maxLength: 100,
      },
      size,
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
