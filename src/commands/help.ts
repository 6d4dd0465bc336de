import type { Block, Message, PlatformKind } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { CommandSpec } from './types.js';
import { usageLine } from './usage.js';
import { echo } from './values.js';

const WHO: Record<CommandSpec['access'], string> = {
  anyone: 'Anyone can use it.',
  member: 'Any member of the group can use it.',
  coordinator: 'Only coordinators can use it.',
};

/**
 * Help generated from the catalogue. `available` says which commands have a feature behind
 * them; the rest are listed as coming soon so people know what to expect.
 */
export function helpMessage(
  specs: readonly CommandSpec[],
  available: (id: string) => boolean,
  topic?: string,
  platform?: PlatformKind,
): Message {
  const message = topic
    ? topicHelp(
        specs,
        available,
        topic
          .trim()
          .toLowerCase()
          .replace(/^\/?copro\s+/, ''),
        platform,
      )
    : overview(specs, available);
  if (platform !== 'discord') return message;
  // Discord shows a box for each option, so typed quotes and separators work differently there.
  return {
    text: `${message.text}\n${DISCORD_NOTE}`,
    blocks: [...(message.blocks ?? []), { type: 'context', text: DISCORD_NOTE }],
  };
}

/** Where the person typing bare `/copro` stands: it shapes the few lines they are shown. */
export interface Standing {
  /** This channel is a group's home. */
  readonly groupHere: boolean;
  readonly coordinator: boolean;
}

/** The commands a member most needs, one line each: what bare `/copro` answers. */
const MOST_USED: readonly [string, string][] = [
  ['/copro join', 'start your welcome to the group, or carry on with it'],
  ['/copro profile', 'see or change your answers'],
  ['/copro meetings', 'meetings coming up, and say if you are going'],
  ['/copro polls', 'open polls, and whether you have voted'],
  ['/copro log 2h "what you did"', 'record time you gave'],
  ['/copro my-data', 'everything copro holds about you'],
];

/** Bare `/copro`: a greeting and the few commands most people need, not the whole list. */
export function briefHelp(standing: Standing): Message {
  const lines = [
    'Hello, I am copro, the group’s helper. The commands you will use most:',
    ...MOST_USED.map(([command, what]) => `- \`${command}\`: ${what}`),
    'Type /copro help to see every command, or /copro help COMMAND to learn about one.',
  ];
  if (standing.coordinator)
    lines.push('You run this group: /copro help also lists your commands, marked "coordinators".');
  else if (!standing.groupHere)
    lines.push('There is no group in this channel yet. To start one here, type /copro setup.');
  const text = lines.join('\n');
  return { text: text.replace(/`/g, ''), blocks: [{ type: 'text', text }] };
}

const DISCORD_NOTE =
  'On Discord, type /copro and pick the command from the list: Discord shows a box for each thing to fill in. ' +
  'A few commands have a name of their own there. Where a command is also the start of longer ones, it gets one more word: ' +
  '/copro poll new, /copro agenda show, /copro log time, /copro feedback new, /copro payments show, /copro my-involvement show. ' +
  'Commands of three words join the last two with a hyphen: /copro log type-add, /copro onboarding checklist-add, /copro onboarding checklist-remove. ' +
  'Put poll answers in one box, separated by semicolons: Monday; Wednesday; Friday.';

function overview(specs: readonly CommandSpec[], available: (id: string) => boolean): Message {
  const blocks: Block[] = [
    { type: 'heading', text: 'What copro can do' },
    {
      type: 'text',
      text: 'Type a command in the message box. Words in capitals are things you fill in. Put phrases in "quotes".',
    },
  ];
  const lines: string[] = ['What copro can do:'];
  const sections = new Map<string, CommandSpec[]>();
  for (const spec of specs) {
    const key = spec.path[0] ?? spec.id;
    const section = sections.get(key) ?? [];
    section.push(spec);
    sections.set(key, section);
  }
  for (const section of sections.values()) {
    const text = section.map((spec) => `- ${describe(spec, available)}`).join('\n');
    blocks.push({ type: 'text', text });
    lines.push(...section.map((spec) => describe(spec, available)));
  }
  blocks.push({
    type: 'context',
    text: 'For more about one command, type /copro help followed by its name, e.g. /copro help poll.',
  });
  return { text: lines.join('\n'), blocks };
}

function describe(spec: CommandSpec, available: (id: string) => boolean): string {
  const notes = [
    spec.access === 'coordinator' ? 'coordinators' : '',
    available(spec.id) ? '' : 'coming soon',
  ].filter(Boolean);
  return `\`${usageLine(spec)}\`: ${spec.summary}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

function topicHelp(
  specs: readonly CommandSpec[],
  available: (id: string) => boolean,
  topic: string,
  platform: PlatformKind | undefined,
): Message {
  const words = topic.split(/\s+/);
  // "help buddy pause" is that one command; "help buddy" (or a word copro does not know after
  // it, "help buddy holiday") is the whole family.
  const named = specs.filter((s) => s.id === topic || s.path.slice(0, words.length).join(' ') === topic);
  const matches = named.length > 0 ? named : specs.filter((s) => s.path[0] === words[0]);
  if (matches.length === 0) {
    throw new UserError(
      'unknown_command',
      `copro has no command called "${echo(topic, 30)}". Type /copro help to see them all.`,
    );
  }
  const blocks: Block[] = [];
  const lines: string[] = [];
  for (const spec of matches) {
    const soon = available(spec.id) ? '' : '\nThis is coming soon: it is not ready yet.';
    const options = spec.options.filter((o) => o.named).map((o) => `--${o.name}: ${o.description}`);
    const text =
      `\`${usageLine(spec)}\`\n${spec.summary}. ${(platform && spec.whoOn?.[platform]) ?? spec.who ?? WHO[spec.access]}\nExample: \`${spec.example}\`` +
      (options.length > 0 ? `\nOptions:\n${options.map((o) => `- ${o}`).join('\n')}` : '') +
      soon;
    blocks.push({ type: 'text', text });
    lines.push(text.replace(/`/g, ''));
  }
  return { text: lines.join('\n\n'), blocks };
}
