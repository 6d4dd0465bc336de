/** A member's own record: seeing it, correcting it, and their choice about payment. */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import { plural } from '../text.js';
import { formatMinutes, readDay } from './days.js';
import { checkMinutes, paymentLine } from './log-commands.js';
import { formatMoney, formatTotals, parseAmount, totalsByCurrency } from './money.js';
import { describeRecord, readRecordNumber, recordNumber } from './render.js';
import {
  pricing,
  type RecordRow,
  rateFor,
  recordIn,
  recordsOfMember,
  setStandingChoice,
  standingChoice,
} from './store.js';
import { describeChoice, readChoice, resolveType, typesOf } from './types.js';

/** Shown at most, newest last; the report and CSV have the rest. */
const SHOWN = 25;

type RecordContext = ContextOf<'log.fix'> | ContextOf<'log.remove'>;

/** A record the person may change: their own, or any of the group's for a coordinator. */
async function changeable(ctx: RecordContext): Promise<RecordRow> {
  const id = readRecordNumber(ctx.args.record);
  const row = await recordIn(ctx.deps.db, ctx.group.id, id);
  if (!row || (row.memberId !== ctx.member.id && !ctx.isCoordinator))
    throw new UserError(
      'no_record',
      `You have no record #${id} here. Type /copro my-involvement to see your records and their numbers.`,
    );
  if (row.status === 'approved' || row.status === 'paid')
    throw new UserError(
      'settled',
      `Record ${recordNumber(row)} is already ${row.status}, so it cannot be changed. If something is wrong with it, please tell a coordinator.`,
    );
  return row;
}

async function fix(ctx: ContextOf<'log.fix'>): Promise<Reply> {
  const { deps, group, args } = ctx;
  const row = await changeable(ctx);
  const now = deps.clock.now();
  const set: Partial<typeof schema.involvementRecords.$inferInsert> = { updatedAt: now };
  if (args.what !== undefined) {
    if (args.what.trim() === '') throw new UserError('empty', 'Please say what you did: it cannot be empty.');
    set.description = args.what.trim();
  }
  if (args.date !== undefined) {
    const day = readDay(args.date, now, group.timezone);
    if (!day.ok) throw new UserError('bad_date', day.problem);
    set.occurredOn = day.day;
  }
  if (row.kind === 'time') {
    if (args.amount !== undefined || args.receipt !== undefined)
      throw new UserError(
        'wrong_kind',
        `Record ${recordNumber(row)} is time, not an expense: it has no amount or receipt.`,
      );
    if (args.time !== undefined) checkMinutes(args.time);
    const minutes = args.time ?? row.minutes ?? 0;
    const type =
      args.type === undefined ? row.typeKey : (await resolveType(deps.db, group.id, args.type)).key;
    const choice =
      args.pay === undefined ? { choice: row.payChoice, percent: row.payPercent } : readChoice(args.pay);
    Object.assign(set, { minutes, typeKey: type, payChoice: choice.choice, payPercent: choice.percent });
    // A record keeps the rate it was made with ("Records already made keep their rate"); only
    // moved to another type of work does it take that type's rate now.
    const rate =
      type === row.typeKey
        ? row.rateMinor === null
          ? undefined
          : { perHourMinor: row.rateMinor, currency: row.currency }
        : await rateFor(deps.db, group.id, type);
    Object.assign(set, pricing(minutes, rate, choice));
  } else {
    if (args.time !== undefined || args.type !== undefined || args.pay !== undefined)
      throw new UserError(
        'wrong_kind',
        `Record ${recordNumber(row)} is an expense: you can change its amount, what it was for, its day and its receipt.`,
      );
    if (args.amount !== undefined) {
      const amount = parseAmount(args.amount, row.currency);
      if (!amount.ok) throw new UserError('bad_amount', amount.problem);
      if (amount.minor <= 0) throw new UserError('bad_amount', 'An expense needs an amount above nothing.');
      Object.assign(set, { amountMinor: amount.minor, currency: amount.currency });
    }
    if (args.receipt !== undefined) set.receipt = args.receipt.trim() || null;
  }
  const updated = await deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(schema.involvementRecords)
      .set(set)
      .where(eq(schema.involvementRecords.id, row.id))
      .returning();
    if (row.memberId !== ctx.member.id)
      await audit(tx, {
        groupId: group.id,
        actorMemberId: ctx.member.id,
        action: 'involvement.fix',
        targetMemberId: row.memberId,
        details: { record: row.id },
        at: now,
      });
    return changed as RecordRow;
  });
  const types = await typesOf(deps.db, group.id);
  return privately(`Corrected. ${describeRecord(updated, types)}\n${paymentLine(updated)}`);
}

async function remove(ctx: ContextOf<'log.remove'>): Promise<Reply> {
  const row = await changeable(ctx);
  // copro made it from confirmed attendance, and would make it again: it can be corrected instead.
  if (row.sourceKey?.startsWith('meeting:'))
    throw new UserError(
      'from_attendance',
      `Record ${recordNumber(row)} comes from your confirmed attendance at a meeting. To correct it: /copro log fix ${row.id} --time 1h (or ask a coordinator).`,
    );
  const now = ctx.deps.clock.now();
  await ctx.deps.db.transaction(async (tx) => {
    await tx.delete(schema.involvementRecords).where(eq(schema.involvementRecords.id, row.id));
    await audit(tx, {
      groupId: ctx.group.id,
      actorMemberId: ctx.member.id,
      action: 'involvement.remove',
      targetMemberId: row.memberId,
      details: { record: row.id, kind: row.kind, minutes: row.minutes, amountMinor: row.amountMinor },
      at: now,
    });
  });
  return privately(`Record ${recordNumber(row)} is removed.`);
}

async function myInvolvement(ctx: ContextOf<'my-involvement'>): Promise<Reply> {
  const { deps, group } = ctx;
  const now = deps.clock.now();
  const rows = await recordsOfMember(deps.db, group.id, ctx.member.id);
  const choice = await standingChoice(deps.db, group.id, ctx.member.id);
  const choiceLine = `Your choice about payment: ${describeChoice(choice)}. To change it: /copro my-involvement pay full, 50% or none.`;
  if (rows.length === 0)
    return privately(
      `You have no involvement recorded in ${literal(group.name)} yet. Record time with /copro log 2h "what you did" (preparation counts too).\n${choiceLine}`,
    );
  const types = await typesOf(deps.db, group.id);
  const minutes = rows.reduce((sum, r) => sum + (r.minutes ?? 0), 0);
  const owed = totalsByCurrency(rows.filter((r) => r.status === 'owed' || r.status === 'approved'));
  const paid = totalsByCurrency(rows.filter((r) => r.status === 'paid'));
  const shown = rows.slice(-SHOWN);
  const lines = [
    `Your involvement in ${literal(group.name)}: ${formatMinutes(minutes)} over ${plural(rows.filter((r) => r.kind === 'time').length, 'record')} of time. Thank you.`,
    `Waiting to be paid: ${formatTotals(owed)}. Paid so far: ${formatTotals(paid)}.`,
    rows.length > SHOWN ? `Your latest ${SHOWN} records:` : 'Your records:',
    ...shown.map((r) => `- ${describeRecord(r, types, now)}`),
    'To correct one: /copro log fix ID --time 2h (or --what, --date, --type, --pay). To remove one: /copro log remove ID.',
    choiceLine,
  ];
  return privately(lines.join('\n'));
}

async function payChoice(ctx: ContextOf<'my-involvement.pay'>): Promise<Reply> {
  const choice = readChoice(ctx.args.choice);
  await setStandingChoice(ctx.deps.db, ctx.group.id, ctx.member.id, choice, ctx.deps.clock.now());
  const rate = await rateFor(ctx.deps.db, ctx.group.id, 'meeting');
  const example = rate
    ? ` (for example ${formatMoney(rate.perHourMinor, rate.currency)} an hour for meetings)`
    : '';
  return privately(
    `Noted: from now on your time is ${describeChoice(choice)}${choice.choice === 'full' ? example : ''}. This is your choice and nobody will question it. Records already made keep their choice; to change one: /copro log fix ID --pay ${ctx.args.choice.trim().toLowerCase()}`,
  );
}

export const memberCommands = {
  'log.fix': fix,
  'log.remove': remove,
  'my-involvement': myInvolvement,
  'my-involvement.pay': payChoice,
} as const;
