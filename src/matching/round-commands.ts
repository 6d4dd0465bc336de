/** Coordinators' commands: /copro match run [--dry-run] | history | pin @a @b | forbid @a @b. */
import { desc, eq, inArray } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { ensureMentioned } from '../groups/members.js';
import { listOf, mention } from '../text.js';
import { formatWhen } from '../time.js';
import { groupOf } from './member-commands.js';
import { loadRound, sendRound } from './run.js';
import { setRule } from './store.js';
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

const run = async (ctx: ContextOf<'match.run'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const now = ctx.deps.clock.now();
  const loaded = await loadRound(ctx.deps.db, group, now);
  const { plan, people } = loaded;
  const name = (id: string) => mention(people.get(id)!);
  if (plan.groups.length === 0) {
    return privately(
      'Nobody can be paired yet: at least two members need to take part. Members join in with /copro buddy opt-in.',
    );
  }
  const lines = plan.groups.map((g) => {
    const who = listOf(g.members.map(name));
    const why = g.reasons.map(
      (r) => (g.members.length > 2 ? `${name(r.pair[0])} and ${name(r.pair[1])}: ` : '') + whyText(r.parts),
    );
    return `• ${who}${g.kind === 'pinned' ? ' (pinned)' : ''}: ${why.join('. ')}`;
  });
  const unmatched = plan.unmatched.length
    ? `\n${plan.unmatched.length} ${plan.unmatched.length === 1 ? 'person' : 'people'} could not be paired this time.`
    : '';
  const skipped = plan.pinsSkipped ? `\n${plan.pinsSkipped} pin(s) could not be applied this time.` : '';
  if (ctx.args['dry-run']) {
    return privately(
      `Proposed pairs for ${group.name} (nothing has been sent):\n${lines.join('\n')}${unmatched}${skipped}\n` +
        'To send the introductions, type /copro match run.',
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
  const lines = rounds.map((r) => {
    const mine = groups.filter((g) => g.roundId === r.id);
    const met = mine.filter((g) => answers.some((a) => a.matchGroupId === g.id && a.answer === 'met')).length;
    const rate = mine.length ? Math.round((100 * met) / mine.length) : 0;
    return (
      `Round ${r.number} (${formatWhen(r.ranAt, group.timezone)}): ${mine.length} pairs or groups, ` +
      `${rate}% met, ${r.repeats} repeated pair${r.repeats === 1 ? '' : 's'} (only when nothing else was possible), ` +
      `${r.unmatchedCount} unmatched.`
    );
  });
  return privately(lines.join('\n'));
};

function ruleCommand(kind: 'pin' | 'forbid') {
  return async (ctx: ContextOf<'match.pin'> | ContextOf<'match.forbid'>): Promise<Reply> => {
    const group = groupOf(ctx);
    const { db } = ctx.deps;
    const [a, b] = await Promise.all(
      ['a', 'b'].map((k) =>
        ensureMentioned(db, ctx.actor.platform, ctx.actor.workspaceId, k === 'a' ? ctx.args.a : ctx.args.b),
      ),
    );
    if (a!.id === b!.id) throw new UserError('same_person', 'Please name two different people.');
    await setRule(db, group.id, kind, a!.id, b!.id);
    return privately(
      kind === 'pin'
        ? `${mention(a!)} and ${mention(b!)} will be paired at the next round, if both take part and nothing rules it out.`
        : `${mention(a!)} and ${mention(b!)} will never be paired.`,
    );
  };
}

export const roundCommands = {
  'match.run': run,
  'match.history': history,
  'match.pin': ruleCommand('pin'),
  'match.forbid': ruleCommand('forbid'),
} as const;
