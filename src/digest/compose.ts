import type { Db, GroupRow, Tx } from '../../db/client.js';
import { type Block, literal, type Message } from '../chat/index.js';
import { formatDay } from './schedule.js';
import {
  buildForGroups,
  type DigestSection,
  type DigestSectionBuilder,
  type SectionContext,
} from './sections.js';

/**
 * Within every platform's limits, whatever the week held: Slack allows 50 blocks and 3,000
 * characters of text per block, Discord 2,000 characters per message (its adapter splits longer
 * ones). A section shows at most MAX_LINES items and then says how many more there are.
 */
export const MAX_LINES = 8;
export const MAX_LINE_CHARS = 280;
export const MAX_FALLBACK_CHARS = 3_000;

export interface DigestInput {
  readonly db: Db | Tx;
  readonly group: GroupRow;
  readonly since: Date;
  readonly until: Date;
  /** How many weekly digests this one stands for (more than 1 after downtime). */
  readonly weeks?: number;
  /** What the features report, in order (FeatureDeps.digestSections). */
  readonly sections: readonly DigestSectionBuilder[];
  /** Timezone for the times shown; the group's unless a private preview uses the reader's. */
  readonly zone?: string;
}

export interface Digest {
  readonly message: Message;
  /** Nothing to report: the message is one short line. */
  readonly quiet: boolean;
}

export async function composeDigest(input: DigestInput): Promise<Digest> {
  const [digest] = await composeDigests(input.db, input.sections, [input]);
  return digest as Digest;
}

/** One group's digest in a batch: what composeDigest takes, less what the batch shares. */
export type DigestOf = Omit<DigestInput, 'db' | 'sections'>;

/**
 * The digests of many groups at once, in order. Each section answers for the whole batch
 * together (see sections.ts), so the queries do not grow with the number of groups.
 */
export async function composeDigests(
  db: Db | Tx,
  builders: readonly DigestSectionBuilder[],
  inputs: readonly DigestOf[],
): Promise<Digest[]> {
  const ctxs = inputs.map((input): SectionContext => {
    const zone = input.zone ?? input.group.timezone;
    const weeks = input.weeks ?? 1;
    const period = weeks > 1 ? `since ${formatDay(input.since, zone)}` : 'this week';
    return { db, group: input.group, since: input.since, until: input.until, period, zone };
  });
  const found: DigestSection[][] = inputs.map(() => []);
  for (const build of builders) {
    const answers = await buildForGroups(build, ctxs);
    answers.forEach((section, i) => {
      if (section && section.lines.length > 0) found[i]?.push(section);
    });
  }
  return inputs.map((input, i) => assemble(input, ctxs[i]!.zone, found[i]!));
}

function assemble(input: DigestOf, zone: string, sections: readonly DigestSection[]): Digest {
  const { group, since, until } = input;
  const weeks = input.weeks ?? 1;
  const missed =
    weeks > 1
      ? `copro was not running for a while, so this digest covers the ${weeks} weeks since ${formatDay(since, zone)}.`
      : undefined;
  if (sections.length === 0) {
    const text = `${missed ? `${missed} ` : ''}A quiet ${weeks > 1 ? 'few weeks' : 'week'} in ${literal(group.name)}: nothing new to report.`;
    return { quiet: true, message: { text, blocks: [{ type: 'text', text }] } };
  }

  const heading = `Weekly digest for ${literal(group.name)}`;
  const intro = missed ?? `What happened in the week to ${formatDay(until, zone)}.`;
  const blocks: Block[] = [
    { type: 'heading', text: heading },
    { type: 'text', text: intro },
  ];
  const plain: string[] = [heading, intro];
  for (const section of sections) {
    const lines = capped(section.lines);
    blocks.push({ type: 'heading', text: section.title });
    blocks.push({ type: 'text', text: lines.map((l) => `- ${l}`).join('\n') });
    plain.push('', `${section.title}:`, ...lines.map((l) => `- ${l}`));
  }
  blocks.push({ type: 'context', text: 'Type /copro digest preview at any time to see the digest so far.' });
  const full = plain.join('\n');
  const summary = `${heading}: ${sections.map((s) => `${s.title.toLowerCase()} (${s.lines.length})`).join(', ')}.`;
  return { quiet: false, message: { text: full.length <= MAX_FALLBACK_CHARS ? full : summary, blocks } };
}

function capped(lines: readonly string[]): string[] {
  const clip = (l: string) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS - 1)}…` : l);
  if (lines.length <= MAX_LINES) return lines.map(clip);
  const shown = lines.slice(0, MAX_LINES - 1).map(clip);
  return [...shown, `…and ${lines.length - shown.length} more.`];
}
