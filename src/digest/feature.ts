import { IANAZone } from 'luxon';
import type { Message } from '../chat/index.js';
import type { CommandContext, CommandHandler, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { Feature } from '../features.js';
import type { GroupRow } from '../groups/types.js';
import {
  type DigestOptions,
  digestFor,
  digestJobHandlers,
  digestScheduleOf,
  ensureDigestsScheduled,
  scheduleNextDigest,
  sendDigest,
  setDigestSchedule,
} from './digest.js';
import { pollDigestSources } from './poll-source.js';
import { describeWeeklyTime, formatSendTime, nextOccurrences, parseWeeklyTime } from './schedule.js';

function groupOf(ctx: CommandContext): GroupRow {
  if (!ctx.group) {
    throw new UserError(
      'no_group',
      'The digest belongs to a group. Please type this in your group’s channel.',
    );
  }
  return ctx.group;
}

const text = (t: string): Message => ({ text: t, blocks: [{ type: 'text', text: t }] });

/** The weekly digest's commands: preview (any member), now and schedule (coordinators). */
export function createDigestFeature(options: DigestOptions = {}): Feature {
  const preview: CommandHandler = async (ctx) => {
    const group = groupOf(ctx);
    const { db, clock } = ctx.deps;
    const now = clock.now();
    // Private, so times are shown in the reader's own timezone when the platform told us it.
    const own =
      ctx.member.timezone && IANAZone.isValidZone(ctx.member.timezone) ? ctx.member.timezone : undefined;
    const zone = own ?? group.timezone;
    const schedule = await digestScheduleOf(db, group.id);
    const [next] = nextOccurrences(schedule, group.timezone, now, 1) as [Date];
    const digest = await digestFor(db, group, now, { ...options, zone });
    const yours = zone !== group.timezone ? ` Times are in your timezone (${zone}).` : '';
    const note = `This is a preview that only you can see. The digest goes to the channel on ${formatSendTime(next, zone)}.${yours}`;
    return {
      message: {
        text: `${note}\n\n${digest.message.text}`,
        blocks: [{ type: 'context', text: note }, ...(digest.message.blocks ?? [])],
      },
    };
  };

  const now: CommandHandler = async (ctx): Promise<Reply> => {
    const group = groupOf(ctx);
    const { db, clock } = ctx.deps;
    const at = clock.now();
    await db.transaction(async (tx) => {
      const digest = await digestFor(tx, group, at, options);
      await sendDigest(tx, group, digest, `digest:${group.id}:now:${at.toISOString()}`, at);
      // Keep the weekly one coming: it will cover what happens from now on.
      await scheduleNextDigest(tx, group, await digestScheduleOf(tx, group.id), at);
    });
    await ctx.deps.outbox?.flush();
    return {
      message: text(
        `Done. The digest is on its way to <#${group.homeChannelId}>. The next weekly digest will cover what happens from now on.`,
      ),
    };
  };

  const schedule: CommandHandler = async (ctx) => {
    const group = groupOf(ctx);
    const when = parseWeeklyTime(String(ctx.args.when ?? ''));
    const { db, clock } = ctx.deps;
    const at = clock.now();
    await db.transaction((tx) => setDigestSchedule(tx, group, when, at));
    const times = nextOccurrences(when, group.timezone, at, 3).map(
      (d) => `- ${formatSendTime(d, group.timezone)}`,
    );
    const intro = `Done. The weekly digest will go out on ${describeWeeklyTime(when)}, ${group.timezone} time. The next three:`;
    return {
      message: {
        text: [intro, ...times].join('\n'),
        blocks: [{ type: 'text', text: [intro, ...times].join('\n') }],
      },
    };
  };

  return {
    commands: { 'digest.preview': preview, 'digest.now': now, 'digest.schedule': schedule },
    jobs: digestJobHandlers(options),
    sweeps: [ensureDigestsScheduled],
  };
}

/**
 * The digest as copro ships it: polls fill their sections; meetings, buddy pairs and involvement
 * add theirs here (DigestSources in sections.ts) as those features arrive.
 */
export const digestFeature: Feature = createDigestFeature({ sources: { ...pollDigestSources } });
