/**
 * What involvement records hold about a person: their time and expenses, their choice about
 * payment, the feedback they raised, and what they did as a coordinator (logged for someone,
 * approved, paid, closed). Erasing keeps the group's totals: each record stays, with its hours
 * and money, under the workspace's "former member", and with the words and receipt the person
 * wrote removed.
 */
import { eq, or } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { groupNames } from '../groups/personal-data.js';
import type { PersonalData } from '../privacy/declaration.js';
import { plainAmount } from './money.js';

const {
  involvementRecords: records,
  involvementPayChoices: choices,
  feedbackItems: items,
  feedbackRaisers: raisers,
} = schema;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** What an erased record says instead of what the person wrote. */
export const ERASED_TEXT = 'Removed at the member’s request';

export const involvementPersonalData: PersonalData = {
  refersToPerson: [
    'involvement_records.member_id',
    'involvement_records.logged_by',
    'involvement_records.approved_by',
    'involvement_records.paid_by',
    'involvement_pay_choices.member_id',
    'feedback_items.closed_by',
    'feedback_raisers.member_id',
  ],
  holdsNoPerson: ['involvement_records.roles'],
  async export({ db, member }) {
    const mine = await db
      .select()
      .from(records)
      .where(
        or(
          eq(records.memberId, member.id),
          eq(records.loggedBy, member.id),
          eq(records.approvedBy, member.id),
          eq(records.paidBy, member.id),
        ),
      );
    const choice = await db.select().from(choices).where(eq(choices.memberId, member.id));
    const raised = await db
      .select({ item: items })
      .from(raisers)
      .innerJoin(items, eq(items.id, raisers.feedbackId))
      .where(eq(raisers.memberId, member.id));
    const closed = await db.select().from(items).where(eq(items.closedBy, member.id));
    const names = await groupNames(db, [
      ...mine.map((r) => r.groupId),
      ...choice.map((c) => c.groupId),
      ...raised.map((r) => r.item.groupId),
      ...closed.map((c) => c.groupId),
    ]);
    return [
      {
        table: 'involvement_records',
        title: 'Your involvement records (time and expenses)',
        rows: mine.map((r) => ({
          group: names.get(r.groupId),
          record: r.id,
          yours: r.memberId === member.id,
          loggedByYou: r.loggedBy === member.id,
          approvedByYou: r.approvedBy === member.id,
          paidByYou: r.paidBy === member.id,
          kind: r.kind,
          type: r.typeKey,
          minutes: r.minutes,
          description: r.description,
          receipt: r.receipt,
          day: r.occurredOn,
          amount: `${plainAmount(r.amountMinor, r.currency)} ${r.currency}`,
          paymentChoice: r.payChoice,
          status: r.status,
          recorded: iso(r.createdAt),
          approved: iso(r.approvedAt),
          paid: iso(r.paidAt),
        })),
      },
      {
        table: 'involvement_pay_choices',
        title: 'Your choice about payment',
        rows: choice.map((c) => ({ group: names.get(c.groupId), choice: c.choice, percent: c.percent })),
      },
      {
        table: 'feedback_raisers',
        title: 'Feedback you raised',
        rows: raised.map(({ item }) => ({
          group: names.get(item.groupId),
          feedback: `F${item.id}`,
          text: item.text,
          outcome: item.outcomeText,
        })),
      },
      {
        table: 'feedback_items',
        title: 'Feedback you closed',
        rows: closed.map((c) => ({
          group: names.get(c.groupId),
          feedback: `F${c.id}`,
          closed: iso(c.closedAt),
        })),
      },
    ];
  },
  async erase({ tx, member, formerMemberId }) {
    // Hours and money stay in the group's totals; whose they were, and their own words, do not.
    await tx
      .update(records)
      .set({ memberId: formerMemberId, description: ERASED_TEXT, receipt: null })
      .where(eq(records.memberId, member.id));
    await tx.update(records).set({ loggedBy: null }).where(eq(records.loggedBy, member.id));
    await tx.update(records).set({ approvedBy: null }).where(eq(records.approvedBy, member.id));
    await tx.update(records).set({ paidBy: null }).where(eq(records.paidBy, member.id));
    await tx.delete(choices).where(eq(choices.memberId, member.id));
    await tx.delete(raisers).where(eq(raisers.memberId, member.id));
    await tx.update(items).set({ closedBy: null }).where(eq(items.closedBy, member.id));
  },
  forgetting: {
    goes: 'what you wrote in your records of time and costs, your choice about pay, and that you gave feedback',
    stays: 'the hours and amounts in your records stay in the group’s totals and reports, without your name',
  },
};
