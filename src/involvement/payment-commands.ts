/** Coordinators' view of payments: what is owed and for how long, approving, paying, and rates. */
import { and, eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { enqueueMessage } from '../jobs/outbox.js';
import { listOf, mention, plural } from '../text.js';
import { daysBetween } from './days.js';
import { formatMoney, formatTotals, parseAmount, totalsByCurrency } from './money.js';
import { describeRecord, readRecordNumber, recordNumber } from './render.js';
import { type Move, movePayments, type RecordRow, unpaid } from './store.js';
import { resolveType, typesOf } from './types.js';

/** Listed at most in chat; the CSV report has every one. */
const SHOWN = 40;

async function namesOf(
  ctx: { deps: { db: import('../../db/client.js').Db } },
  ids: readonly (number | null)[],
) {
  const known = new Map<number, MemberRow>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const [m] = await ctx.deps.db.select().from(schema.members).where(eq(schema.members.id, id));
    if (m) known.set(id, m);
  }
  return known;
}

async function listPayments(ctx: ContextOf<'payments'>): Promise<Reply> {
  const { deps, group } = ctx;
  const now = deps.clock.now();
  const rows = await unpaid(deps.db, group.id);
  if (rows.length === 0)
    return privately('Nothing is waiting to be paid. Everyone who is owed has been paid.');
  const types = await typesOf(deps.db, group.id);
  const people = await namesOf(
    ctx,
    rows.map((r) => r.memberId),
  );
  const oldest = rows[0] as RecordRow;
  const lines = [
    `${plural(rows.length, 'payment')} waiting, ${formatTotals(totalsByCurrency(rows))} in all. The oldest has waited ${plural(daysBetween(oldest.createdAt, now), 'day')}.`,
    ...rows.slice(0, SHOWN).map((r) => {
      const who =
        r.memberId !== null && people.get(r.memberId)
          ? mention(people.get(r.memberId) as MemberRow)
          : 'a former member';
      return `- ${who}: ${describeRecord(r, types, now)}`;
    }),
    rows.length > SHOWN ? `…and ${rows.length - SHOWN} more: /copro report --csv lists them all.` : '',
    'Approve: /copro payments approve ID ... (or all). Once paid: /copro payments paid ID ... (or all).',
  ];
  return privately(lines.filter(Boolean).join('\n'));
}

function readIds(raw: readonly string[], rows: readonly RecordRow[], move: Move): number[] {
  if (raw.some((r) => r.trim().toLowerCase() === 'all'))
    return rows
      .filter((r) => (move === 'approve' ? r.status === 'owed' : r.status === 'approved'))
      .map((r) => r.id);
  return [...new Set(raw.map(readRecordNumber))];
}

async function tellPaid(tx: Tx, group: GroupRow, row: RecordRow, now: Date): Promise<void> {
  if (row.memberId === null) return;
  const [member] = await tx.select().from(schema.members).where(eq(schema.members.id, row.memberId));
  if (!member) return;
  await enqueueMessage(tx, now, {
    purpose: `involvement:${row.id}:paid`,
    platform: group.platform,
    destination: { kind: 'dm', userId: member.userId, workspaceId: group.workspaceId },
    message: {
      text: `${literal(group.name)} has paid you ${formatMoney(row.amountMinor, row.currency)} for record ${recordNumber(row)} (“${literal(row.description)}”). Thank you for your time.`,
    },
    groupId: group.id,
  });
}

async function move(
  ctx: ContextOf<'payments.approve'> | ContextOf<'payments.paid'>,
  how: Move,
): Promise<Reply> {
  const { deps, group } = ctx;
  const now = deps.clock.now();
  const waiting = await unpaid(deps.db, group.id);
  const ids = readIds(ctx.args.records, waiting, how);
  if (ids.length === 0)
    return privately(
      how === 'approve' ? 'Nothing is waiting for approval.' : 'No approved payment is waiting to be paid.',
    );
  const result = await movePayments(deps.db, group.id, ids, how, ctx.member.id, now, async (tx, row) => {
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: how === 'approve' ? 'payment.approve' : 'payment.paid',
      targetMemberId: row.memberId,
      details: { record: row.id, amountMinor: row.amountMinor, currency: row.currency },
      at: now,
    });
    if (how === 'pay') await tellPaid(tx, group, row, now);
  });
  await deps.outbox?.flush();
  const done = how === 'approve' ? 'approved' : 'marked paid';
  const lines: string[] = [];
  if (result.moved.length > 0)
    lines.push(
      `${plural(result.moved.length, 'payment')} ${done} (${listOf(result.moved.map(recordNumber))}), ${formatTotals(totalsByCurrency(result.moved))} in all.` +
        (how === 'pay'
          ? ' Each person is told privately.'
          : ' Mark them paid once the money has gone: /copro payments paid ID ...'),
    );
  if (result.already.length > 0)
    lines.push(
      `Already ${how === 'approve' ? 'approved or paid' : 'paid'}: ${listOf(result.already.map(recordNumber))}.`,
    );
  if (result.unknown.length > 0)
    lines.push(
      `No payment waiting under ${listOf(result.unknown.map((id) => `#${id}`))} in this group. /copro payments lists the ones waiting.`,
    );
  return privately(lines.join('\n'));
}

async function listRates(ctx: ContextOf<'payments.rates'>): Promise<Reply> {
  const rates = await ctx.deps.db
    .select()
    .from(schema.involvementRates)
    .where(eq(schema.involvementRates.groupId, ctx.group.id));
  const types = await typesOf(ctx.deps.db, ctx.group.id);
  if (rates.length === 0)
    return privately(
      `${literal(ctx.group.name)} has no rates set, so no time is paid through copro. ${ctx.isCoordinator ? 'Set one with /copro payments rate meeting £25 (an hourly rate; copro suggests no amounts).' : 'If you expected to be paid for your time, please ask a coordinator.'}`,
    );
  const lines = rates.map((r) => {
    const name = types.find((t) => t.key === r.typeKey)?.name ?? r.typeKey;
    return `- ${literal(name)}: ${formatMoney(r.perHourMinor, r.currency)} an hour`;
  });
  return privately(
    `Hourly rates in ${literal(ctx.group.name)}:\n${lines.join('\n')}\nTypes not listed are not paid. You may take less or decline payment: /copro my-involvement pay. If you receive benefits, please get advice (for example from Citizens Advice) before you accept payment.`,
  );
}

async function setRate(ctx: ContextOf<'payments.rate'>): Promise<Reply> {
  const { deps, group } = ctx;
  const type = await resolveType(deps.db, group.id, ctx.args.type);
  const now = deps.clock.now();
  const none = ['none', 'no', '0', 'off'].includes(ctx.args.amount.trim().toLowerCase());
  const read = none ? undefined : parseAmount(ctx.args.amount);
  if (read && !read.ok) throw new UserError('bad_amount', read.problem);
  // "£0" an hour is no rate: records of it would show as paid nothing rather than as unpaid.
  const amount = read?.minor === 0 ? undefined : read;
  const r = schema.involvementRates;
  // False when a rate that was never set is taken away: nothing changes, so nothing is recorded.
  const changed = await deps.db.transaction(async (tx) => {
    if (!amount) {
      const gone = await tx
        .delete(r)
        .where(and(eq(r.groupId, group.id), eq(r.typeKey, type.key)))
        .returning({ typeKey: r.typeKey });
      if (gone.length === 0) return false;
    } else {
      const values = { perHourMinor: amount.minor, currency: amount.currency, updatedAt: now };
      await tx
        .insert(r)
        .values({ groupId: group.id, typeKey: type.key, ...values })
        .onConflictDoUpdate({ target: [r.groupId, r.typeKey], set: values });
    }
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'involvement.rate',
      details: { type: type.key, perHourMinor: amount?.minor ?? null, currency: amount?.currency ?? null },
      at: now,
    });
    return true;
  });
  // The type's name is as a coordinator typed it ("meeting"), so it never starts a sentence.
  const timeOn = `time spent on ${literal(type.name)}`;
  if (amount)
    return privately(
      `From the next record on, ${timeOn} is paid at ${formatMoney(amount.minor, amount.currency)} an hour. Records already made keep their rate.`,
    );
  return privately(
    changed
      ? `From now on, ${timeOn} is not paid. Records already made keep their rate.`
      : `There was no rate for ${literal(type.name)}, so nothing has changed: ${timeOn} is not paid.`,
  );
}

export const paymentCommands = {
  payments: listPayments,
  'payments.approve': (ctx: ContextOf<'payments.approve'>) => move(ctx, 'approve'),
  'payments.paid': (ctx: ContextOf<'payments.paid'>) => move(ctx, 'pay'),
  'payments.rates': listRates,
  'payments.rate': setRate,
} as const;
