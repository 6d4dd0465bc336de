/**
 * Forgetting someone: the person themselves (/copro forget-me), or a coordinator for a member who
 * asked them offline (/copro forget @person). Both confirm first; nothing is deleted by a typed
 * command alone. A coordinator's erasure is audited as "someone's data was erased, by whom", never
 * with who it was or what was held.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import { textMessage } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { ActionContext } from '../features.js';
import { audit } from '../groups/audit.js';
import { groupsOfMember } from '../groups/groups.js';
import { coordinatorsOf, isCoordinator } from '../groups/roles.js';
import { formatTotals } from '../involvement/money.js';
import { mention } from '../text.js';
import {
  erasePerson,
  FORGET_ACTION,
  FORGET_OTHER_ACTION,
  FORMER_MEMBER_ID,
  forgetConfirmation,
  forgetOtherConfirmation,
} from './forget.js';

export async function forgetMe(ctx: ContextOf<'forget-me'>): Promise<Reply> {
  const { deps, member } = ctx;
  if (ctx.unrecorded)
    return privately(
      'copro holds nothing about you: it has no record of you at all, so there is nothing to delete.',
    );
  const lastCoordinatorOf: string[] = [];
  for (const group of await groupsOfMember(deps.db, member.id)) {
    const coordinators = await coordinatorsOf(deps.db, group.id);
    if (coordinators.length === 1 && coordinators[0]?.id === member.id) lastCoordinatorOf.push(group.name);
  }
  const owed = await owedTo(deps.db, member.id);
  return {
    message: forgetConfirmation(deps.personalData, {
      memberId: member.id,
      lastCoordinatorOf,
      ...(owed ? { owed } : {}),
    }),
  };
}

/** What the member is owed and not yet paid, in every group, in words; undefined when nothing. */
async function owedTo(db: Db, memberId: number): Promise<string | undefined> {
  const r = schema.involvementRecords;
  const rows = await db
    .select({ currency: r.currency, minor: sql<number>`sum(${r.amountMinor})::bigint` })
    .from(r)
    .where(and(eq(r.memberId, memberId), inArray(r.status, ['owed', 'approved'])))
    .groupBy(r.currency);
  const totals = new Map(rows.map((row) => [row.currency, Number(row.minor)]));
  return [...totals.values()].some((minor) => minor > 0) ? formatTotals(totals) : undefined;
}

export async function forgetOther(ctx: ContextOf<'forget'>): Promise<Reply> {
  const { deps, actor, group, args, member } = ctx;
  if (args.user.userId === actor.userId) return privately('To delete your own data, type /copro forget-me.');
  const [target] = await deps.db
    .select()
    .from(schema.members)
    .where(
      and(
        eq(schema.members.platform, actor.platform),
        eq(schema.members.workspaceId, actor.workspaceId),
        eq(schema.members.userId, args.user.userId),
      ),
    );
  if (!target || target.userId === FORMER_MEMBER_ID)
    return privately(`copro holds nothing about ${mention(args.user)}, so there is nothing to delete.`);
  const [inGroup] = await deps.db
    .select()
    .from(schema.groupMembers)
    .where(and(eq(schema.groupMembers.groupId, group.id), eq(schema.groupMembers.memberId, target.id)));
  if (!inGroup)
    return privately(
      `${mention(args.user)} has never been a member of ${group.name}, so only they (with /copro forget-me) or a coordinator of their own group can do this.`,
    );
  return {
    message: forgetOtherConfirmation(deps.personalData, {
      target,
      groupId: group.id,
      coordinatorId: member.id,
    }),
  };
}

export async function confirmForgetMe({ deps, event, member }: ActionContext): Promise<void> {
  // The button carries who it was shown to: only that person's own click erases them.
  if (event.value !== String(member.id)) {
    await event.reply(textMessage('That button was meant for someone else, so nothing was deleted.'), {
      private: true,
    });
    return;
  }
  await erasePerson(deps.db, deps.personalData, member, deps.clock.now(), deps.voterSecret);
  deps.logger.info('personal data erased at the request of the person it was about');
  await event.updateMessage(
    textMessage(
      'Done. copro has deleted everything it held about you. Group totals (votes counted, pairs that met) stay, without your name. Thank you for the time you gave the group.',
    ),
  );
}

export async function confirmForgetOther({ deps, event, member }: ActionContext): Promise<void> {
  const [targetId, groupId, shownTo] = event.value.split(':').map(Number);
  // Checked again on the click: the coordinator who was asked, and still a coordinator.
  if (shownTo !== member.id || !groupId || !(await isCoordinator(deps.db, groupId, member.id))) {
    await event.reply(
      textMessage('Only the coordinator who asked can say yes to this. Nothing was deleted.'),
      {
        private: true,
      },
    );
    return;
  }
  const [target] = await deps.db
    .select()
    .from(schema.members)
    .where(eq(schema.members.id, targetId ?? 0));
  if (!target) {
    await event.updateMessage(textMessage('Their data had already been deleted. Nothing else was needed.'));
    return;
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await erasePerson(tx, deps.personalData, target, now, deps.voterSecret);
    await audit(tx, { groupId, actorMemberId: member.id, action: 'member.erased', at: now });
  });
  deps.logger.info('personal data erased by a coordinator, at the request of the person it was about');
  await event.updateMessage(
    textMessage(
      'Done. copro has deleted everything it held about them. The coordinators’ record says you deleted a member’s data today. It says nothing about who it was.',
    ),
  );
}

export { FORGET_ACTION, FORGET_OTHER_ACTION };
