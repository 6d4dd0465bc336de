/** What members say about their own buddy pairing: /copro buddy opt-in | opt-out | pause | status | avoid. */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import { literal, textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { echo, parseDurationMinutes } from '../commands/values.js';
import { UserError } from '../errors.js';
import { ensureMentioned } from '../groups/members.js';
import { isRecordedMember } from '../groups/membership.js';
import type { GroupRow } from '../groups/types.js';
import { listOf, mention } from '../text.js';
import { formatWhen } from '../time.js';
import { assignWaiting } from './buddy-run.js';
import { pendingRoundAt } from './schedule.js';
import { addAvoid, settingsOf, updateSettings } from './store.js';

const MAX_PAUSE_WEEKS = 52;
const DAY_MINUTES = 24 * 60;
const privately = (text: string): Reply => ({ message: textMessage(text) });

export function groupOf(ctx: { readonly group: GroupRow }): GroupRow {
  return ctx.group;
}

/** " The next round is on Wednesday 25 November at 10:00.", when rounds run on a schedule. */
async function nextRoundText(ctx: ContextOf<'buddy.opt-in'> | ContextOf<'buddy.status'>): Promise<string> {
  const next = await pendingRoundAt(ctx.deps.db, ctx.group.id);
  return next ? ` The next round is on ${formatWhen(next, ctx.member.timezone ?? ctx.group.timezone)}.` : '';
}

const optIn = async (ctx: ContextOf<'buddy.opt-in'>): Promise<Reply> => {
  const group = groupOf(ctx);
  await updateSettings(
    ctx.deps.db,
    group.id,
    ctx.member.id,
    { optedIn: true, pausedUntil: null },
    ctx.deps.clock.now(),
  );
  return privately(
    `Thank you: you will be paired with another member of ${literal(group.name)} at the next round, for a short chat.` +
      `${await nextRoundText(ctx)} To take a break, type /copro buddy pause 4w; to stop, /copro buddy opt-out.`,
  );
};

const optOut = async (ctx: ContextOf<'buddy.opt-out'>): Promise<Reply> => {
  const group = groupOf(ctx);
  await updateSettings(ctx.deps.db, group.id, ctx.member.id, { optedIn: false }, ctx.deps.clock.now());
  return privately(
    'Done: you will not be paired in future rounds. You can come back any time with /copro buddy opt-in.',
  );
};

/** How long a pause is, in minutes, or the plain reason it cannot be one. */
export function pauseMinutes(raw: string): number | string {
  const typed = raw.trim();
  const shown = echo(typed);
  if (/^0+(\.0+)?\s*[a-z]*$/i.test(typed)) {
    return 'A pause needs to be at least a day. For example, type /copro buddy pause 4w for four weeks, or /copro buddy pause 2w for two.';
  }
  const minutes = parseDurationMinutes(typed);
  if (minutes === undefined) {
    return `"${shown}" is not a length of time. Give it in weeks or days: for example, /copro buddy pause 4w for four weeks, or /copro buddy pause 10d for ten days.`;
  }
  if (minutes < DAY_MINUTES) {
    return 'A pause needs to be at least a day. For example, type /copro buddy pause 4w for four weeks, or /copro buddy pause 2w for two.';
  }
  if (minutes > MAX_PAUSE_WEEKS * 7 * DAY_MINUTES) {
    return `A pause can be at most ${MAX_PAUSE_WEEKS} weeks (a year). To stop for longer, type /copro buddy opt-out; you can come back any time with /copro buddy opt-in.`;
  }
  return minutes;
}

const pause = async (ctx: ContextOf<'buddy.pause'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const minutes = pauseMinutes(ctx.args.for);
  if (typeof minutes === 'string') throw new UserError('bad_pause', minutes);
  const now = ctx.deps.clock.now();
  // Someone not taking part has nothing to pause, and would not "come back by themselves".
  if (!(await settingsOf(ctx.deps.db, group.id, ctx.member.id))?.optedIn)
    throw new UserError(
      'not_opted_in',
      'You are not taking part in peer rounds, so there is nothing to pause. To join in, type /copro buddy opt-in.',
    );
  const until = new Date(now.getTime() + minutes * 60_000);
  await updateSettings(ctx.deps.db, group.id, ctx.member.id, { pausedUntil: until }, now);
  return privately(
    `Paused until ${formatWhen(until, ctx.member.timezone ?? group.timezone)}. You will not be paired before then, ` +
      'and you come back by yourself afterwards. Nobody else is told.',
  );
};

const avoid = async (ctx: ContextOf<'buddy.avoid'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const target = await ensureMentioned(ctx.deps.db, ctx.actor.platform, ctx.actor.workspaceId, ctx.args.user);
  if (target.id === ctx.member.id) throw new UserError('self', 'You are never paired with yourself.');
  await addAvoid(ctx.deps.db, group.id, ctx.member.id, target.id);
  const privateNote = 'This stays private: nobody is told, coordinators included.';
  if (!(await isRecordedMember(ctx.deps.db, group.id, target.id))) {
    // Most likely a slip of the keyboard: say whom, so it can be put right.
    return privately(
      `Noted, but ${mention(target)} is not in ${literal(group.name)} at the moment: check the name if you meant someone else. ` +
        `If they join, you will never be paired with them. ${privateNote}`,
    );
  }
  return privately(`Noted. You will never be paired with that person. ${privateNote}`);
};

/** Try to pair waiting newcomers now; true when someone was paired. */
async function pairNow(ctx: ContextOf<'buddy.request'> | ContextOf<'buddy.capacity'>): Promise<boolean> {
  const group = groupOf(ctx);
  const paired = await ctx.deps.db.transaction((tx) =>
    assignWaiting(tx, group, ctx.deps.clock.now(), ctx.deps.voterSecret),
  );
  if (paired > 0) await ctx.deps.outbox?.flush();
  return paired > 0;
}

const request = async (ctx: ContextOf<'buddy.request'>): Promise<Reply> => {
  const group = groupOf(ctx);
  await updateSettings(ctx.deps.db, group.id, ctx.member.id, { wantsBuddy: true }, ctx.deps.clock.now());
  await pairNow(ctx);
  const [buddy] = await ctx.deps.db
    .select()
    .from(schema.buddyAssignments)
    .where(
      and(
        eq(schema.buddyAssignments.groupId, group.id),
        eq(schema.buddyAssignments.newcomerId, ctx.member.id),
      ),
    );
  if (buddy) {
    return privately('Thank you. I have found you a buddy and introduced you both in a direct message.');
  }
  return privately(
    'Thank you. A buddy is someone experienced in the group who can explain how things work. ' +
      'You will hear from me as soon as one is free.',
  );
};

const capacity = async (ctx: ContextOf<'buddy.capacity'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const n = Number(ctx.args.newcomers);
  if (!Number.isInteger(n) || n < 0 || n > 10) {
    throw new UserError(
      'bad_capacity',
      'Please give a number of newcomers from 0 to 10, for example /copro buddy capacity 3.',
    );
  }
  await updateSettings(ctx.deps.db, group.id, ctx.member.id, { capacity: n }, ctx.deps.clock.now());
  await pairNow(ctx);
  return privately(
    n === 0
      ? 'Done: you will not be given new newcomers to look after.'
      : `Done: you will look after up to ${n} newcomer${n === 1 ? '' : 's'} at a time.`,
  );
};

/** Who else was in this person's pair or group in a round (none if they were not paired). */
async function roundPartners(db: Db, roundId: number, memberId: number) {
  const g = schema.matchGroups;
  const [mine] = await db
    .select({ ids: g.memberIds })
    .from(g)
    .where(and(eq(g.roundId, roundId), sql`${g.memberIds} @> ${JSON.stringify([memberId])}::jsonb`));
  const others = (mine?.ids ?? []).filter((id) => id !== memberId);
  if (others.length === 0) return [];
  return db.select().from(schema.members).where(inArray(schema.members.id, others));
}

const status = async (ctx: ContextOf<'buddy.status'>): Promise<Reply> => {
  const group = groupOf(ctx);
  const { db } = ctx.deps;
  const now = ctx.deps.clock.now();
  const settings = await settingsOf(db, group.id, ctx.member.id);
  const lines: string[] = [];
  if (!settings?.optedIn)
    lines.push('You are not taking part in peer rounds. To join in, type /copro buddy opt-in.');
  else if (settings.pausedUntil && settings.pausedUntil > now) {
    lines.push(
      `You are paused until ${formatWhen(settings.pausedUntil, ctx.member.timezone ?? group.timezone)}.`,
    );
  } else lines.push('You take part in peer rounds.');
  const [buddy] = await db
    .select({ member: schema.members })
    .from(schema.buddyAssignments)
    .innerJoin(schema.members, eq(schema.members.id, schema.buddyAssignments.buddyId))
    .where(
      and(
        eq(schema.buddyAssignments.groupId, group.id),
        eq(schema.buddyAssignments.newcomerId, ctx.member.id),
        isNull(schema.buddyAssignments.endedAt),
      ),
    );
  if (buddy) lines.push(`Your buddy is ${mention(buddy.member)}.`);
  else if (settings?.wantsBuddy) lines.push('You asked for a buddy: you will hear as soon as one is free.');
  const [lastRound] = await db
    .select()
    .from(schema.matchRounds)
    .where(eq(schema.matchRounds.groupId, group.id))
    .orderBy(desc(schema.matchRounds.number))
    .limit(1);
  if (lastRound) {
    lines.push(
      `The last round was on ${formatWhen(lastRound.ranAt, ctx.member.timezone ?? group.timezone)}.`,
    );
    const others = await roundPartners(db, lastRound.id, ctx.member.id);
    if (others.length > 0) lines.push(`In it you were put together with ${listOf(others.map(mention))}.`);
  }
  const next = await nextRoundText(ctx);
  if (next) lines.push(next.trim());
  if (settings?.capacity !== null && settings?.capacity !== undefined) {
    lines.push(
      settings.capacity === 0
        ? 'As a buddy you are not given new newcomers to look after.'
        : `As a buddy you look after up to ${settings.capacity} newcomer${settings.capacity === 1 ? '' : 's'} at a time.`,
    );
  }
  return privately(lines.join('\n'));
};

export const memberCommands = {
  'buddy.opt-in': optIn,
  'buddy.opt-out': optOut,
  'buddy.pause': pause,
  'buddy.avoid': avoid,
  'buddy.request': request,
  'buddy.capacity': capacity,
  'buddy.status': status,
} as const;
