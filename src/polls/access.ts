import { and, eq, inArray } from 'drizzle-orm';
import { type Db, schema } from '../../db/client.js';
import { type Actor, literal, type MessageRef } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { ActionContext, FormContext } from '../features.js';
import { ASK_TO_JOIN, isGroupMember } from '../groups/membership.js';
import type { GroupRow } from '../groups/types.js';
import { type PollRow, pollPurpose } from './store.js';

/**
 * Who may act on a poll. A poll code travels in every button's value, and anyone can send any
 * value, so nothing in the value is trusted: the click must come from the poll's workspace, from
 * a member of its group, and (for votes) from the poll's own message or the clicker's reminder.
 */

const NOT_COUNTED = 'Nothing was recorded.';

/** A whole number naming one of `count` options: "0", "1", ... and nothing else ("", "0x1", "1e0", " 2", "-1"). */
export function optionIndex(raw: string | undefined, count: number): number | undefined {
  if (raw === undefined || !/^(0|[1-9][0-9]{0,3})$/.test(raw)) return undefined;
  const index = Number(raw);
  return index < count ? index : undefined;
}

type Ctx = Pick<ActionContext, 'deps' | 'actor' | 'member'>;

/** A poll and its group by the poll's code, wherever it is: the caller checks who may see it. */
export async function findByCode(
  db: Db,
  code: string,
): Promise<{ poll: PollRow; group: GroupRow } | undefined> {
  if (!/^P[A-Z0-9]{3,8}$/.test(code)) return undefined;
  const [found] = await db
    .select({ poll: schema.polls, group: schema.groups })
    .from(schema.polls)
    .innerJoin(schema.groups, eq(schema.groups.id, schema.polls.groupId))
    .where(eq(schema.polls.code, code));
  return found;
}

/** Is the group in the workspace the person acts from? */
export const inWorkspaceOf = (group: GroupRow, actor: Actor): boolean =>
  group.platform === actor.platform && group.workspaceId === actor.workspaceId;

async function pollByCode(ctx: Ctx, code: string): Promise<{ poll: PollRow; group: GroupRow }> {
  const found = await findByCode(ctx.deps.db, code);
  // Another workspace's poll is answered as if it did not exist: its code says nothing here.
  if (!found || !inWorkspaceOf(found.group, ctx.actor))
    throw new UserError('unknown_poll', `That poll no longer exists. ${NOT_COUNTED}`);
  return found;
}

async function mustBeMember(ctx: Ctx, group: GroupRow): Promise<void> {
  if (await isGroupMember(ctx.deps, group, ctx.member, ctx.actor)) return;
  throw new UserError(
    'not_a_member',
    `Only members of ${literal(group.name)} can take part in its polls, and copro does not have you as one. Members are the people in the group's channel, <#${group.homeChannelId}>. ${NOT_COUNTED} ${ASK_TO_JOIN}`,
  );
}

/** Where a poll's buttons are: its own message, and the reminders copro sent about it. */
export async function pollMessages(db: Db, poll: PollRow): Promise<PollMessages> {
  return db
    .select({ ref: schema.outbox.messageRef, destination: schema.outbox.destination })
    .from(schema.outbox)
    .where(
      and(
        eq(schema.outbox.groupId, poll.groupId),
        inArray(schema.outbox.purpose, [pollPurpose(poll), `poll.remind:${poll.id}`]),
      ),
    );
}

export type PollMessages = readonly { readonly ref: unknown; readonly destination: unknown }[];

/** Is `message` one of the poll's messages this person was shown: the channel's, or their reminder? */
export function isPollMessageOf(
  messages: PollMessages,
  actor: Actor,
  message: MessageRef | undefined,
): boolean {
  if (!message) return false;
  return messages.some((row) => {
    const ref = row.ref as Partial<MessageRef> | null;
    const to = row.destination as { kind?: string; userId?: string };
    const mine = to.kind === 'channel' || (to.kind === 'dm' && to.userId === actor.userId);
    return mine && ref?.messageId === message.messageId && ref?.channelId === message.channelId;
  });
}

/** The poll a button click is about, once the clicker may act on it there. */
export async function pollForClick(ctx: ActionContext, code: string) {
  const found = await pollByCode(ctx, code);
  const messages = ctx.event.message ? await pollMessages(ctx.deps.db, found.poll) : [];
  if (!isPollMessageOf(messages, ctx.actor, ctx.event.message)) {
    throw new UserError(
      'not_poll_message',
      `Please use the buttons on poll ${found.poll.code} itself, in <#${found.poll.channelId}>. ${NOT_COUNTED}`,
    );
  }
  await mustBeMember(ctx, found.group);
  return found;
}

/**
 * The poll a click on a private list is about (/copro polls shows each open poll with its
 * buttons, so a member can vote after the channel message has scrolled away or the terminal
 * restarted). The list went only to the member who asked, so the click must still come from a
 * member of the poll's group, in its workspace.
 */
export async function pollForListedClick(ctx: ActionContext, code: string) {
  const found = await pollByCode(ctx, code);
  await mustBeMember(ctx, found.group);
  return found;
}

/** The poll a submitted ranking form is about (the form was opened from the poll's button). */
export async function pollForForm(ctx: FormContext, code: string) {
  const found = await pollByCode(ctx, code);
  await mustBeMember(ctx, found.group);
  return found;
}

/** The group a button's value names, if the clicker belongs to it. */
export async function groupForClick(ctx: ActionContext, raw: string): Promise<GroupRow> {
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : undefined;
  const [group] = id ? await ctx.deps.db.select().from(schema.groups).where(eq(schema.groups.id, id)) : [];
  if (!group || group.platform !== ctx.actor.platform || group.workspaceId !== ctx.actor.workspaceId)
    throw new UserError(
      'unknown_group',
      `That button belongs to a group copro does not know. ${NOT_COUNTED}`,
    );
  if (!(await isGroupMember(ctx.deps, group, ctx.member, ctx.actor))) {
    throw new UserError(
      'not_a_member',
      `That button belongs to ${literal(group.name)}, and copro does not have you as one of its members. ${NOT_COUNTED}`,
    );
  }
  return group;
}
