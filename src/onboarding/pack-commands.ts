/** Coordinators' commands for the pack: show, edit (a form), and the checklist. */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import {
  characterCount,
  type Form,
  lengthErrors,
  literal,
  overLimitText,
  textMessage,
} from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { FormContext } from '../features.js';
import { audit } from '../groups/audit.js';
import { groupById } from '../groups/groups.js';
import { coordinatorsOf, requireCoordinator } from '../groups/roles.js';
import {
  MAX_CHECKLIST_ITEMS,
  MAX_ITEM_CHARS,
  MAX_PART_CHARS,
  PACK_PARTS,
  PART_TITLES,
  type PackPart,
  packMessage,
  packOf,
  updatePack,
} from './pack.js';
import { choice, cleanAnswer } from './text.js';

export const PACK_FORM = 'onboarding.pack';

async function show(ctx: ContextOf<'onboarding.show'>): Promise<Reply> {
  const { group } = ctx;
  const { db } = ctx.deps;
  const roles = await db
    .select()
    .from(schema.roles)
    .where(eq(schema.roles.groupId, group.id))
    .orderBy(schema.roles.id);
  const view = {
    group,
    pack: await packOf(db, group.id),
    roles,
    coordinators: await coordinatorsOf(db, group.id),
  };
  return { message: packMessage(view, ctx.isCoordinator) };
}

const HINTS: Readonly<Record<PackPart, string>> = {
  purpose: 'A sentence or two: what the group works on, and why it matters. Newcomers read every part.',
  timeCommitment: 'For example: one online meeting of 90 minutes a month, and about an hour to read papers.',
  contacts: 'Who to ask, and how. Leave empty to name the coordinators.',
  payment: 'Your own words: rates, what is reimbursed (travel, carer cover), how and when it is paid.',
  support: 'Training, a buddy, help with computers, someone to talk to after a hard meeting.',
};

async function edit(ctx: ContextOf<'onboarding.edit'>): Promise<Reply> {
  const { group } = ctx;
  const pack = await packOf(ctx.deps.db, group.id);
  const form: Form = {
    id: PACK_FORM,
    title: 'Onboarding pack',
    submitLabel: 'Save',
    state: String(group.id),
    fields: [
      ...PACK_PARTS.map((part) => ({
        kind: 'paragraph' as const,
        id: part,
        label: PART_TITLES[part],
        hint: HINTS[part],
        maxLength: MAX_PART_CHARS,
        ...(pack.parts[part] ? { initial: pack.parts[part] } : {}),
      })),
      {
        kind: 'select' as const,
        id: 'selfChosenRoles',
        label: 'May newcomers choose a role themselves?',
        hint: 'Expert by experience or carer. copro never tells the group who has these roles.',
        required: true,
        options: [
          { value: 'no', label: 'No: coordinators give roles' },
          { value: 'yes', label: 'Yes: they may choose one' },
        ],
        initial: [pack.selfChosenRoles ? 'yes' : 'no'],
      },
    ],
  };
  await ctx.event.openForm(form);
  return {
    message: textMessage('The onboarding pack form is open. Empty parts show newcomers a note to ask you.'),
  };
}

async function submit(ctx: FormContext): Promise<Readonly<Record<string, string>> | undefined> {
  const { deps, member, event } = ctx;
  const group = await groupById(deps.db, Number(event.state));
  await requireCoordinator(deps.db, group.id, member.id, 'change the onboarding pack', 'Nothing was saved.');
  const limits = Object.fromEntries(PACK_PARTS.map((part) => [part, MAX_PART_CHARS]));
  const errors: Record<string, string> = { ...lengthErrors(limits, event.values) };
  const patch: Record<string, string | null> = {};
  for (const part of PACK_PARTS) patch[part] = cleanAnswer(event.values[part], true) || null;
  const self = choice(event.values.selfChosenRoles);
  if (self !== undefined && self !== 'yes' && self !== 'no')
    errors.selfChosenRoles = 'Please choose yes or no.';
  if (Object.keys(errors).length > 0) return errors;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await updatePack(tx, group.id, member.id, now, {
      ...patch,
      ...(self ? { selfChosenRoles: self === 'yes' } : {}),
    });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: member.id,
      action: 'onboarding.pack',
      details: {},
      at: now,
    });
  });
  const filled = PACK_PARTS.filter((p) => patch[p]).length;
  await event.reply(
    textMessage(
      `Saved. ${filled} of ${PACK_PARTS.length} parts are filled in. Type /copro onboarding show to see the pack as newcomers will.`,
    ),
    { private: true },
  );
  return undefined;
}

/** The audit line for a checklist change: who, which group, what item. */
function auditChecklist(
  tx: Tx,
  ctx: Pick<ContextOf<'onboarding.checklist.add'>, 'group' | 'member' | 'deps'>,
  action: 'onboarding.checklist.add' | 'onboarding.checklist.remove',
  item: string,
) {
  return audit(tx, {
    groupId: ctx.group.id,
    actorMemberId: ctx.member.id,
    action,
    details: { item },
    at: ctx.deps.clock.now(),
  });
}

async function checklistAdd(ctx: ContextOf<'onboarding.checklist.add'>): Promise<Reply> {
  const { group } = ctx;
  const item = cleanAnswer(ctx.args.item);
  if (!item)
    throw new UserError(
      'empty_item',
      'Please write the item in "quotes", e.g. /copro onboarding checklist add "We reply within a week".',
    );
  if (characterCount(item) > MAX_ITEM_CHARS)
    throw new UserError('too_long', overLimitText(MAX_ITEM_CHARS, characterCount(item)));
  const pack = await packOf(ctx.deps.db, group.id);
  if (pack.checklist.length >= MAX_CHECKLIST_ITEMS)
    throw new UserError(
      'too_many',
      `The checklist already has ${MAX_CHECKLIST_ITEMS} items, which is plenty to read. Remove one first.`,
    );
  const checklist = [...pack.checklist, item];
  await ctx.deps.db.transaction(async (tx) => {
    await updatePack(tx, group.id, ctx.member.id, ctx.deps.clock.now(), { checklist });
    await auditChecklist(tx, ctx, 'onboarding.checklist.add', item);
  });
  return {
    message: textMessage(`Added as item ${checklist.length}: “${literal(item)}”\n${numbered(checklist)}`),
  };
}

async function checklistRemove(ctx: ContextOf<'onboarding.checklist.remove'>): Promise<Reply> {
  const { group } = ctx;
  const n = ctx.args.number;
  const pack = await packOf(ctx.deps.db, group.id);
  if (pack.checklist.length === 0)
    throw new UserError('empty', 'The checklist is empty, so there is nothing to remove.');
  if (!Number.isInteger(n) || n < 1 || n > pack.checklist.length)
    throw new UserError(
      'bad_number',
      `Please give a number from 1 to ${pack.checklist.length}. The checklist is:\n${numbered(pack.checklist)}`,
    );
  const removed = pack.checklist[n - 1] as string;
  const checklist = pack.checklist.filter((_, i) => i !== n - 1);
  await ctx.deps.db.transaction(async (tx) => {
    await updatePack(tx, group.id, ctx.member.id, ctx.deps.clock.now(), { checklist });
    await auditChecklist(tx, ctx, 'onboarding.checklist.remove', removed);
  });
  const rest =
    checklist.length > 0
      ? `Now:\n${numbered(checklist)}`
      : 'The checklist is now empty, so newcomers skip that step.';
  return { message: textMessage(`Removed item ${n}: “${literal(removed)}”\n${rest}`) };
}

/** The checklist as the coordinators wrote it: shown as typed, never as formatting or a mention. */
const numbered = (items: readonly string[]) =>
  items.map((item, i) => `${i + 1}. ${literal(item)}`).join('\n');

export const packCommands = {
  'onboarding.show': show,
  'onboarding.edit': edit,
  'onboarding.checklist.add': checklistAdd,
  'onboarding.checklist.remove': checklistRemove,
} as const;

export const packForms = { [PACK_FORM]: submit } as const;
