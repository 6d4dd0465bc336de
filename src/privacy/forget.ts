/**
 * Erasing a person: every feature's declaration removes them from its own tables, in one
 * transaction, and then their account goes. Totals keep their rows: a vote stays counted without
 * a name, and what needs a member to exist (a follow-up answer, hours given) moves to the
 * workspace's one "former member" record, shared by everyone erased there.
 */
import { and, eq } from 'drizzle-orm';
import { type Db, type MemberRow, schema, type Tx } from '../../db/client.js';
import type { Message } from '../chat/index.js';
import { listOf } from '../text.js';
import type { NamedPersonalData } from './declaration.js';

/** The platform id of the former-member record: no Slack, Discord or terminal id looks like it. */
export const FORMER_MEMBER_ID = 'copro:former-member';

export const FORGET_ACTION = 'privacy.forget';
export const FORGET_OTHER_ACTION = 'privacy.forget-other';
export const KEEP_ACTION = 'privacy.keep';

/** The workspace's former-member record, made the first time someone there is erased. */
export async function formerMember(
  tx: Tx,
  member: Pick<MemberRow, 'platform' | 'workspaceId'>,
): Promise<number> {
  const m = schema.members;
  await tx
    .insert(m)
    .values({
      platform: member.platform,
      workspaceId: member.workspaceId,
      userId: FORMER_MEMBER_ID,
      displayName: 'a former member',
    })
    .onConflictDoNothing();
  const [row] = await tx
    .select({ id: m.id })
    .from(m)
    .where(
      and(
        eq(m.platform, member.platform),
        eq(m.workspaceId, member.workspaceId),
        eq(m.userId, FORMER_MEMBER_ID),
      ),
    );
  return row!.id;
}

/** Remove everything copro holds about the member, all or nothing. */
export async function erasePerson(
  db: Db | Tx,
  declarations: readonly NamedPersonalData[],
  member: MemberRow,
  now: Date,
  voterSecret?: Buffer,
): Promise<void> {
  if (member.userId === FORMER_MEMBER_ID) return;
  await db.transaction(async (tx) => {
    const formerMemberId = await formerMember(tx, member);
    const scope = { tx, member, formerMemberId, now, ...(voterSecret ? { voterSecret } : {}) };
    for (const d of declarations) await d.erase(scope);
    await tx.delete(schema.members).where(eq(schema.members.id, member.id));
  });
}

/** What forget-me will delete and what stays, in the words each feature gave. */
export function forgetSummary(declarations: readonly NamedPersonalData[]): {
  goes: string[];
  stays: string[];
} {
  return {
    goes: declarations.map((d) => d.forgetting.goes),
    stays: declarations.flatMap((d) => (d.forgetting.stays ? [d.forgetting.stays] : [])),
  };
}

/**
 * The confirmation a person sees before anything is deleted: for themselves ("your ...") or, for
 * a coordinator acting on someone's request, about that person.
 */
export function forgetConfirmation(
  declarations: readonly NamedPersonalData[],
  options: {
    readonly memberId: number;
    readonly lastCoordinatorOf: readonly string[];
    /** What the person is owed and not yet paid, in words ("£8.40"), if anything. */
    readonly owed?: string;
  },
): Message {
  const { goes, stays } = forgetSummary(declarations);
  const warnings = [
    ...(options.lastCoordinatorOf.length > 0
      ? [
          `You are the only coordinator of ${listOf(options.lastCoordinatorOf)}. First make someone else a coordinator (/copro role add @person coordinator). If not, the group will have no coordinator.`,
        ]
      : []),
    ...(options.owed
      ? [
          `You are owed ${options.owed} that has not been paid yet. Once your data is deleted, nobody can tell that it is yours, so ask a coordinator to pay it first (see /copro my-involvement).`,
        ]
      : []),
  ];
  const warning = warnings.length > 0 ? warnings.join('\n') : undefined;
  const intro = 'Do you want copro to delete everything it holds about you? This cannot be undone.';
  const what = `We will delete:\n${goes.map((g) => `• ${g}`).join('\n')}`;
  const kept = `What stays, without your name:\n${stays.map((s) => `• ${s}`).join('\n')}`;
  const after =
    'If you stay in the channel, copro will treat you as someone new. Type /copro my-data first if you want a copy.';
  const text = [intro, what, kept, ...(warning ? [warning] : []), after].join('\n');
  return {
    text,
    blocks: [
      { type: 'heading', text: 'Delete your data?' },
      { type: 'text', text: intro },
      { type: 'text', text: what },
      { type: 'text', text: kept },
      ...(warning ? [{ type: 'text' as const, text: warning }] : []),
      { type: 'context', text: after },
      {
        type: 'buttons',
        buttons: [
          {
            actionId: FORGET_ACTION,
            label: 'Yes, delete my data',
            value: String(options.memberId),
            style: 'danger',
          },
          { actionId: KEEP_ACTION, label: 'No, keep it', value: String(options.memberId) },
        ],
      },
    ],
  };
}

/**
 * A feature's words to the member ("your answers", "messages copro sent you"), said about them to
 * the coordinator deleting their data, who might otherwise read "your name" as their own.
 */
export function theirs(text: string): string {
  return text
    .replace(/\b(sent|for|to|with|about) you\b/g, '$1 them')
    .replace(/\byour\b/g, 'their')
    .replace(/\byou\b/g, 'they');
}

/** A coordinator's confirmation, for a member who asked them (offline) to have their data deleted. */
export function forgetOtherConfirmation(
  declarations: readonly NamedPersonalData[],
  options: { readonly target: MemberRow; readonly groupId: number; readonly coordinatorId: number },
): Message {
  const { goes, stays } = forgetSummary(declarations);
  const who = `<@${options.target.userId}>`;
  const intro = `Delete everything copro holds about ${who}, in every group? Do this only if they asked you to. This cannot be undone.`;
  const what = `We will delete:\n${goes.map((g) => `• ${theirs(g)}`).join('\n')}`;
  const kept = `What stays, without their name:\n${stays.map((s) => `• ${theirs(s)}`).join('\n')}`;
  const after =
    'The coordinators’ record will say that you deleted a member’s data, and nothing about who it was. They can ask you for a copy first: they can type /copro my-data.';
  return {
    text: [intro, what, kept, after].join('\n'),
    blocks: [
      { type: 'heading', text: 'Delete a member’s data?' },
      { type: 'text', text: intro },
      { type: 'text', text: what },
      { type: 'text', text: kept },
      { type: 'context', text: after },
      {
        type: 'buttons',
        buttons: [
          {
            actionId: FORGET_OTHER_ACTION,
            label: 'Yes, delete their data',
            value: `${options.target.id}:${options.groupId}:${options.coordinatorId}`,
            style: 'danger',
          },
          { actionId: KEEP_ACTION, label: 'No, keep it', value: String(options.coordinatorId) },
        ],
      },
    ],
  };
}
