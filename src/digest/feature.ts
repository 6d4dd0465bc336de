import { IANAZone } from 'luxon';
import { privately } from '../commands/reply.js';
import type { CommandHandler } from '../commands/types.js';
import { defineFeature } from '../features.js';
import {
  DIGEST_JOB,
  digestFor,
  digestJob,
  digestScheduleOf,
  ensureDigestsScheduled,
  scheduleNextDigest,
  sendDigest,
  setDigestSchedule,
} from './digest.js';
import { describeWeeklyTime, formatSendTime, nextOccurrences, parseWeeklyTime } from './schedule.js';

/** Any member: the digest so far, privately, in their own timezone. */
const preview: CommandHandler<'digest.preview'> = async (ctx) => {
  const { group } = ctx;
  const { db, clock, digestSections } = ctx.deps;
  const now = clock.now();
  // Private, so times are shown in the reader's own timezone when the platform told us it.
  const own =
    ctx.member.timezone && IANAZone.isValidZone(ctx.member.timezone) ? ctx.member.timezone : undefined;
  const zone = own ?? group.timezone;
  const schedule = await digestScheduleOf(db, group.id);
  const [next] = nextOccurrences(schedule, group.timezone, now, 1) as [Date];
  const digest = await digestFor(db, group, now, { sections: digestSections, zone });
  const yours = zone !== group.timezone ? ` Times are in your timezone (${zone}).` : '';
  const note = `This is a preview that only you can see. The digest goes to the channel on ${formatSendTime(next, zone)}.${yours}`;
  return {
    message: {
      text: `${note}\n\n${digest.message.text}`,
      blocks: [{ type: 'context', text: note }, ...(digest.message.blocks ?? [])],
    },
  };
};

/** Coordinators: send it now; the weekly one then covers what happens from now on. */
const now: CommandHandler<'digest.now'> = async (ctx) => {
  const { group } = ctx;
  const { db, clock } = ctx.deps;
  const at = clock.now();
  await db.transaction(async (tx) => {
    const digest = await digestFor(tx, group, at, { sections: ctx.deps.digestSections });
    await sendDigest(tx, group, digest, `digest:${group.id}:now:${at.toISOString()}`, at);
    // Keep the weekly one coming: it will cover what happens from now on.
    await scheduleNextDigest(tx, group, await digestScheduleOf(tx, group.id), at);
  });
  await ctx.deps.outbox?.flush();
  return privately(
    `Done. The digest is on its way to <#${group.homeChannelId}>. The next weekly digest will cover what happens from now on.`,
  );
};

/** Coordinators: change the weekly time. */
const schedule: CommandHandler<'digest.schedule'> = async (ctx) => {
  const { group } = ctx;
  const when = parseWeeklyTime(ctx.args.when);
  const { db, clock } = ctx.deps;
  const at = clock.now();
  await db.transaction((tx) => setDigestSchedule(tx, group, when, at));
  const times = nextOccurrences(when, group.timezone, at, 3).map(
    (d) => `- ${formatSendTime(d, group.timezone)}`,
  );
  const intro = `Done. The weekly digest will go out on ${describeWeeklyTime(when)}, ${group.timezone} time. The next three:`;
  return privately([intro, ...times].join('\n'));
};

/** The weekly digest: it shows the sections every feature registers, and knows none of them. */
export const digestFeature = defineFeature({
  name: 'digest',
  commands: { 'digest.preview': preview, 'digest.now': now, 'digest.schedule': schedule },
  jobs: { [DIGEST_JOB]: digestJob },
  sweeps: [ensureDigestsScheduled],
});
