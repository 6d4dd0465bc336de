/**
 * Coordinators' commands: /copro match run [--dry-run] [--size 3] | history | pin @a @b |
 * forbid @a @b | unpin @a @b | unforbid @a @b. (match schedule is in schedule-command.ts.)
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal, textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { ensureMentioned } from '../groups/members.js';
import { isRecordedMember } from '../groups/membership.js';
import { listOf, mention } from '../text.js';
import { formatWhen } from '../time.js';
import { groupsInWords } from './group-words.js';
import { restoreKeptRules } from './kept-rules.js';
import { groupOf } from './member-commands.js';
import {
  FOLLOW_UP_AFTER_MS,
  followUpKey,
  type GroupSize,
  loadRound,
  nobodyPaired,
  sendRound,
} from './run.js';
import { removeRule, setRule } from './store.js';
import type { ScoreParts } from './types.js';

const privately = (text: string): Reply => ({ message: textMessage(text) });

/** A pair's reasons in plain words. Never mentions avoid lists, which only rule pairs out. */
export function whyText(parts: ScoreParts): string {
  const bits = [`${parts.wakingOverlapHours} waking hours in common`];
  if (parts.sharedInterests.length > 0) bits.push(`shared interests: ${parts.sharedInterests.join(', ')}`);
  if (parts.metRoundsAgo !== undefined) {
    bits.push(
      `met ${parts.metRoundsAgo === 1 ? 'last round' : `${parts.metRoundsAgo} rounds ago`}, but no other pairing was possible`,
    );
  }
  return bits.join('; ');
}

/** "3" → 3; nothing → pairs. The catalogue allows only 2, 3 and 4. */
export function sizeOf(raw: string | undefined): GroupSize | undefined {
  return raw === undefined ? undefined : (Number(raw) as GroupSize);
}

export const sizeWords = (size: GroupSize) => (size === 2 ? 'pairs' : `groups of ${size}`);

const run = async (ctx: ContextOf<'match.run'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const now = ctx.deps.clock.now();
  const size = sizeOf(ctx.args.size) ?? 2;
  const loaded = await loadRound(ctx.deps.db, group, now, size, ctx.deps.voterSecret);
  const { plan, people } = loaded;
  const name = (id: string) => mention(people.get(id)!);
  if (plan.groups.length === 0) return privately(nobodyPaired(plan.unmatched.length));
  // Counted as made, not as asked for: pairs from an odd number of people include a group of 3.
  const proposed = groupsInWords(plan.groups.map((g) => ({ size: g.members.length })));
  const lines = plan.groups.map((g) => {
    const who = `• ${listOf(g.members.map(name))}${g.kind === 'pinned' ? ' (pinned)' : ''}`;
    const why = g.reasons.map((r) => whyText(r.parts));
    if (new Set(why).size === 1) return `${who}: ${g.members.length > 2 ? 'each pair has ' : ''}${why[0]}`;
    // A group whose pairs differ: one short line per pair, so it stays readable.
    const pairs = g.reasons.map((r, i) => `   – ${name(r.pair[0])} and ${name(r.pair[1])}: ${why[i]}`);
    return [`${who}:`, ...pairs].join('\n');
  });
  const unmatched = plan.unmatched.length
    ? `\n${plan.unmatched.length} ${plan.unmatched.length === 1 ? 'person' : 'people'} could not be paired this time.`
    : '';
  const skipped = plan.pinsSkipped ? `\n${plan.pinsSkipped} pin(s) could not be applied this time.` : '';
  if (ctx.args['dry-run']) {
    return privately(
      `Proposed for ${literal(group.name)}: ${proposed} (nothing has been sent):\n${lines.join('\n')}${unmatched}${skipped}\n` +
        `To send the introductions, type /copro match run${size === 2 ? '' : ` --size ${size}`}.`,
    );
  }
  const number = await sendRound(ctx.deps, group, loaded, now);
  await ctx.deps.outbox?.flush();
  return privately(
    `Round ${number} is done: ${plan.groups.length} introduction${plan.groups.length === 1 ? '' : 's'} sent.\n${lines.join('\n')}${unmatched}${skipped}`,
  );
};

const history = async (ctx: ContextOf<'match.history'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const { db } = ctx.deps;
  const rounds = await db
    .select()
    .from(schema.matchRounds)
    .where(eq(schema.matchRounds.groupId, group.id))
    .orderBy(desc(schema.matchRounds.number))
    .limit(10);
  if (rounds.length === 0)
    return privately('No rounds yet. Try /copro match run --dry-run to see who would be paired.');
  const groups = await db
    .select()
    .from(schema.matchGroups)
    .where(
      inArray(
        schema.matchGroups.roundId,
        rounds.map((r) => r.id),
      ),
    );
  const answers = groups.length
    ? await db
        .select()
        .from(schema.matchFollowUps)
        .where(
          inArray(
            schema.matchFollowUps.matchGroupId,
            groups.map((g) => g.id),
          ),
        )
    : [];
  const now = ctx.deps.clock.now();
  const waiting = await db
    .select({ key: schema.jobs.key })
    .from(schema.jobs)
    .where(
      and(
        inArray(
          schema.jobs.key,
          rounds.map((r) => followUpKey(r.id)),
        ),
        eq(schema.jobs.status, 'pending'),
      ),
    );
  const lines = rounds.map((r) => {
    const mine = groups.filter((g) => g.roundId === r.id);
    const met = mine.filter((g) => answers.some((a) => a.matchGroupId === g.id && a.answer === 'met')).length;
    // Until "Did you get a chance to meet?" has gone, nobody could have said they met.
    const asked =
      r.ranAt.getTime() + FOLLOW_UP_AFTER_MS <= now.getTime() &&
      !waiting.some((w) => w.key === followUpKey(r.id));
    const rate =
      asked || met > 0
        ? `${mine.length ? Math.round((100 * met) / mine.length) : 0}% met`
        : 'not asked yet whether they met';
    // A round of pairs makes a group of 3 when the count is odd (README): that needs no note.
    const sizeAsked =
      r.groupSize === 2 || mine.every((g) => g.size === r.groupSize)
        ? ''
        : ` (${sizeWords(r.groupSize as GroupSize)} asked for)`;
    const avoided =
      r.repeatsAvoided === null
        ? ''
        : `${r.repeatsAvoided} repeat${r.repeatsAvoided === 1 ? '' : 's'} avoided, `;
    return (
      `Round ${r.number} (${formatWhen(r.ranAt, group.timezone)}): ${groupsInWords(mine)}${sizeAsked}, ${rate}. ` +
      `${avoided}${r.repeats} repeated, ${r.unmatchedCount} not paired.`
    );
  });
  const key =
    'Repeats avoided: pairs who met in one of the last 6 rounds and would have met again if past rounds were ignored. ' +
    'Repeated: pairs who met again, as there was no other way.';
  return privately([...lines, key].join('\n'));
};

type RuleContext =
  | ContextOf<'match.pin'>
  | ContextOf<'match.forbid'>
  | ContextOf<'match.unpin'>
  | ContextOf<'match.unforbid'>;

async function twoPeople(ctx: RuleContext) {
  const { db } = ctx.deps;
  // A rule kept for someone who has come back is an ordinary rule again, to change like any other.
  await restoreKeptRules(db, ctx.group, ctx.deps.voterSecret);
  const a = await ensureMentioned(db, ctx.actor.platform, ctx.actor.workspaceId, ctx.args.a);
  const b = await ensureMentioned(db, ctx.actor.platform, ctx.actor.workspaceId, ctx.args.b);
  if (a.id === b.id) throw new UserError('same_person', 'Please name two different people.');
  return [a, b] as const;
}

function undoCommand(kind: 'pin' | 'forbid') {
  return async (ctx: ContextOf<'match.unpin'> | ContextOf<'match.unforbid'>): Promise<Reply> => {
    const group = groupOf(ctx);
    const [a, b] = await twoPeople(ctx);
    const removed = await removeRule(ctx.deps.db, group.id, kind, a.id, b.id);
    const both = `${mention(a)} and ${mention(b)}`;
    if (!removed) {
      return privately(
        kind === 'pin'
          ? `${both} were not pinned, so nothing changed.`
          : `${both} were not kept apart by a coordinator, so nothing changed.`,
      );
    }
    return privately(
      kind === 'pin'
        ? `Done: ${both} are no longer pinned. They may still be paired, like anyone else.`
        : `Done: ${both} may be paired again, unless one of them asked not to be.`,
    );
  };
}

function ruleCommand(kind: 'pin' | 'forbid') {
  return async (ctx: ContextOf<'match.pin'> | ContextOf<'match.forbid'>): Promise<Reply> => {
    const group = groupOf(ctx);
    const { db } = ctx.deps;
    const [a, b] = await twoPeople(ctx);
    await setRule(db, group.id, kind, a.id, b.id);
    const away: string[] = [];
    for (const m of [a, b]) if (!(await isRecordedMember(db, group.id, m.id))) away.push(mention(m));
    const note = away.length
      ? `\n${listOf(away)} ${away.length === 1 ? 'is' : 'are'} not in ${literal(group.name)} at the moment: check the name if you meant someone else.`
      : '';
    const said =
      kind === 'pin'
        ? `${mention(a)} and ${mention(b)} will be paired at the next round, if both take part and nothing rules it out. To undo this, type /copro match unpin ${mention(a)} ${mention(b)}.`
        : `${mention(a)} and ${mention(b)} will never be paired. To undo this, type /copro match unforbid ${mention(a)} ${mention(b)}.`;
    return privately(`${said}${note}`);
  };
}

export const roundCommands = {
  'match.run': run,
  'match.history': history,
  'match.pin': ruleCommand('pin'),
  'match.forbid': ruleCommand('forbid'),
  'match.unpin': undoCommand('pin'),
  'match.unforbid': undoCommand('forbid'),
} as const;
