/** Recording involvement: time, expenses, corrections, and the group's types. */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Mention, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import { ensureMentioned, joinGroup } from '../groups/members.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/outbox.js';
import { mention } from '../text.js';
import { formatDay, formatMinutes, readDay, today } from './days.js';
import { formatMoney, parseAmount } from './money.js';
import { describeRecord, recordNumber } from './render.js';
import { addExpense, addTime, type RecordRow } from './store.js';
import {
  BUILT_IN_TYPES,
  MAX_TYPE_NAME,
  readChoice,
  resolveExpenseKind,
  resolveType,
  typeKey,
  typesOf,
} from './types.js';

/** Nobody gives more than a day in one go: a longer stretch is logged day by day. */
export const MAX_MINUTES = 24 * 60;

type LogContext = ContextOf<'log.time'> | ContextOf<'log.expense'>;

/** Who the record is for: the person typing, or (for coordinators) someone they mention. */
async function whoFor(ctx: LogContext, target: Mention | undefined): Promise<MemberRow> {
  if (!target || target.userId === ctx.actor.userId) return ctx.member;
  if (!ctx.isCoordinator)
    throw new UserError(
      'coordinators_only',
      'Only coordinators can record involvement for someone else. You can record your own.',
    );
  const member = await ensureMentioned(ctx.deps.db, ctx.actor.platform, ctx.actor.workspaceId, target);
  await joinGroup(ctx.deps.db, ctx.group.id, member.id, ctx.deps.clock.now());
  return member;
}

function dayOf(raw: string | undefined, now: Date, group: GroupRow): string {
  if (raw === undefined) return today(now, group.timezone);
  const day = readDay(raw, now, group.timezone);
  if (!day.ok) throw new UserError('bad_date', day.problem);
  return day.day;
}

export function checkMinutes(minutes: number): void {
  if (minutes > MAX_MINUTES)
    throw new UserError(
      'too_long',
      `That is more than ${MAX_MINUTES / 60} hours in one go. Please log each day separately, for example /copro log 6h "Training day 1" --date "last Monday".`,
    );
}

/** The member hears about a record someone else made for them, privately. */
async function tellMember(tx: Tx, ctx: LogContext, member: MemberRow, row: RecordRow): Promise<void> {
  if (member.id === ctx.member.id) return;
  await enqueueMessage(tx, ctx.deps.clock.now(), {
    purpose: `involvement:${row.id}:recorded`,
    platform: ctx.group.platform,
    destination: { kind: 'dm', userId: member.userId, workspaceId: ctx.group.workspaceId },
    message: {
      text: `${mention(ctx.member)} recorded this for you in ${literal(ctx.group.name)}: ${describeRecord(row, BUILT_IN_TYPES)}. Thank you! To see or correct your record, type /copro my-involvement.`,
    },
    groupId: ctx.group.id,
  });
}

async function logTime(ctx: ContextOf<'log.time'>): Promise<Reply> {
  const { deps, group, args } = ctx;
  const now = deps.clock.now();
  checkMinutes(args.time);
  const type = await resolveType(deps.db, group.id, args.type ?? 'other');
  const choice = args.pay === undefined ? undefined : readChoice(args.pay);
  const day = dayOf(args.date, now, group);
  const member = await whoFor(ctx, args.for);
  const row = await deps.db.transaction(async (tx) => {
    const added = await addTime(tx, {
      groupId: group.id,
      memberId: member.id,
      loggedBy: ctx.member.id,
      typeKey: type.key,
      minutes: args.time,
      description: args.what.trim(),
      day,
      choice,
      now,
    });
    if (!added) throw new Error('a time record without a source key was not inserted');
    await tellMember(tx, ctx, member, added);
    return added;
  });
  await deps.outbox?.flush();
  const whose = member.id === ctx.member.id ? 'your' : `${mention(member)}'s`;
  return privately(
    `Thank you. ${formatMinutes(args.time)} of ${type.key === 'other' ? 'other work' : literal(type.name)} on ${formatDay(day)} is in ${whose} record as ${recordNumber(row)}. ${paymentLine(row)}\nTo correct it: /copro log fix ${row.id}`,
  );
}

/** One short line on what the record means for payment. */
export function paymentLine(row: RecordRow): string {
  switch (row.status) {
    case 'declined':
      return 'You chose not to be paid for it; that is recorded and respected.';
    case 'none':
      return 'This group has no rate for it, so there is nothing to pay.';
    case 'paid':
      return `${formatMoney(row.amountMinor, row.currency)} was paid.`;
    default:
      return `${formatMoney(row.amountMinor, row.currency)} is owed${row.payChoice === 'less' ? ` (you chose ${row.payPercent}% of the rate)` : ''}.`;
  }
}

async function logExpense(ctx: ContextOf<'log.expense'>): Promise<Reply> {
  const { deps, group, args } = ctx;
  const now = deps.clock.now();
  const amount = parseAmount(args.amount);
  if (!amount.ok) throw new UserError('bad_amount', amount.problem);
  if (amount.minor <= 0) throw new UserError('bad_amount', 'An expense needs an amount above nothing.');
  const kind = resolveExpenseKind(args.kind ?? 'other');
  const day = dayOf(args.date, now, group);
  const member = await whoFor(ctx, args.for);
  const row = await deps.db.transaction(async (tx) => {
    const added = await addExpense(tx, {
      groupId: group.id,
      memberId: member.id,
      loggedBy: ctx.member.id,
      kindKey: kind.key,
      amountMinor: amount.minor,
      currency: amount.currency,
      description: args.what.trim(),
      receipt: args.receipt?.trim() || undefined,
      day,
      now,
    });
    await tellMember(tx, ctx, member, added);
    return added;
  });
  await deps.outbox?.flush();
  const receipt = row.receipt
    ? ''
    : ` If you have a receipt, add it: /copro log fix ${row.id} --receipt "link or note"`;
  return privately(
    `Thank you. Your ${literal(kind.name)} expense of ${formatMoney(row.amountMinor, row.currency)} is recorded as ${recordNumber(row)}, and is owed to ${member.id === ctx.member.id ? 'you' : mention(member)}.${receipt}`,
  );
}

async function listTypes(ctx: ContextOf<'log.types'>): Promise<Reply> {
  const types = await typesOf(ctx.deps.db, ctx.group.id);
  const rates = await ctx.deps.db
    .select()
    .from(schema.involvementRates)
    .where(eq(schema.involvementRates.groupId, ctx.group.id));
  const lines = types.map((t) => {
    const rate = rates.find((r) => r.typeKey === t.key);
    return `- ${literal(t.name)}${rate ? `: ${formatMoney(rate.perHourMinor, rate.currency)} an hour` : ''}`;
  });
  return privately(
    `Types of involvement in ${literal(ctx.group.name)}:\n${lines.join('\n')}\nUse one with --type, e.g. /copro log 1h "Read the papers" --type preparation.`,
  );
}

async function addType(ctx: ContextOf<'log.type-add'>): Promise<Reply> {
  const name = ctx.args.name.trim().replace(/\s+/g, ' ');
  const key = typeKey(name);
  // A type's name appears in many answers and files: plain words only, so it can never be markup.
  if (!key || [...name].length > MAX_TYPE_NAME || !/^[\p{L}\p{N}][\p{L}\p{N} '’-]*$/u.test(name))
    throw new UserError(
      'bad_name',
      `Please give the type a name of up to ${MAX_TYPE_NAME} letters, numbers, spaces or hyphens, such as "Steering group".`,
    );
  const known = await typesOf(ctx.deps.db, ctx.group.id);
  if (known.some((t) => t.key === key))
    return privately(`This group already has the type "${literal(name)}".`);
  const now = ctx.deps.clock.now();
  await ctx.deps.db.transaction(async (tx) => {
    await tx.insert(schema.involvementTypes).values({ groupId: ctx.group.id, key, name, createdAt: now });
    await audit(tx, {
      groupId: ctx.group.id,
      actorMemberId: ctx.member.id,
      action: 'involvement.type-add',
      details: { type: key },
      at: now,
    });
  });
  return privately(
    `Added the type "${literal(name)}". Members can use it with --type ${key}. To set a rate for it: /copro payments rate ${key} £20`,
  );
}

export const logCommands = {
  'log.time': logTime,
  'log.expense': logExpense,
  'log.types': listTypes,
  'log.type-add': addType,
} as const;
