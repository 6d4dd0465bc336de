/**
 * The group's onboarding pack: what a newcomer should know before they start (good practice in
 * co-production: the role, the time it asks, who to contact, support, payment and expenses, and
 * expectations agreed both ways). Coordinators write it; a part they have not written yet shows
 * a plain default that says so, so a newcomer is never told something the group did not decide.
 */
import { eq } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { type Block, literal, type Message } from '../chat/index.js';
import type { GroupRow, MemberRow, RoleRow } from '../groups/types.js';
import { listOf, mention } from '../text.js';

export type PackRow = typeof schema.onboardingPacks.$inferSelect;

export const PACK_PARTS = ['purpose', 'timeCommitment', 'contacts', 'payment', 'support'] as const;
export type PackPart = (typeof PACK_PARTS)[number];

export const PART_TITLES: Readonly<Record<PackPart, string>> = {
  purpose: 'What the group is for',
  timeCommitment: 'The time it asks',
  contacts: 'Who to contact',
  payment: 'Payment and expenses',
  support: 'Training and support',
};

const NOT_FILLED: Readonly<Record<PackPart, string>> = {
  purpose: 'Not written yet: please ask the coordinator what the group works on.',
  timeCommitment:
    'Not written yet: please ask the coordinator how much time it asks. You can always do less.',
  contacts: '',
  payment:
    'Not written yet: before you start, please ask the coordinator what you will be paid and which expenses are repaid.',
  support: 'Not written yet: please ask the coordinator what training and support are on offer.',
};

/** Always said, whatever the group writes: a member's right, and a known trap for people on benefits. */
export const PAYMENT_RIGHTS =
  'You may decline payment or take less. If you receive benefits, please get advice (for example from Citizens Advice) before you accept payment.';

export const DEFAULT_CHECKLIST: readonly string[] = [
  'Taking part is my choice. I can step back at any time without giving a reason.',
  'I can take part as much or as little as suits me, and my health comes first.',
  'My experience and views count as much as anyone else’s in the group.',
  'We will tell you what changed because of your input.',
];

export const MAX_CHECKLIST_ITEMS = 12;
export const MAX_ITEM_CHARS = 200;
export const MAX_PART_CHARS = 1000;

export interface ResolvedPack {
  readonly parts: Readonly<Record<PackPart, string | undefined>>;
  readonly checklist: readonly string[];
  readonly checklistIsDefault: boolean;
  readonly selfChosenRoles: boolean;
  readonly noKeyNoticeAt: Date | null;
}

export async function packOf(db: Db | Tx, groupId: number): Promise<ResolvedPack> {
  const [row] = await db
    .select()
    .from(schema.onboardingPacks)
    .where(eq(schema.onboardingPacks.groupId, groupId));
  const parts = Object.fromEntries(
    PACK_PARTS.map((p) => [p, row?.[p]?.trim() ? (row[p] as string) : undefined]),
  ) as Record<PackPart, string | undefined>;
  return {
    parts,
    checklist: row?.checklist ?? DEFAULT_CHECKLIST,
    checklistIsDefault: !row?.checklist,
    selfChosenRoles: row?.selfChosenRoles ?? false,
    noKeyNoticeAt: row?.noKeyNoticeAt ?? null,
  };
}

/** Write some of the pack, creating its row on first use. */
export async function updatePack(
  db: Db | Tx,
  groupId: number,
  by: number | undefined,
  at: Date,
  patch: Partial<Omit<PackRow, 'groupId' | 'updatedAt' | 'updatedBy'>>,
): Promise<void> {
  const insert = db
    .insert(schema.onboardingPacks)
    .values({ groupId, ...patch, updatedBy: by, updatedAt: at });
  const set = { ...patch, ...(by !== undefined ? { updatedBy: by, updatedAt: at } : {}) };
  if (Object.keys(set).length === 0) await insert.onConflictDoNothing();
  else await insert.onConflictDoUpdate({ target: schema.onboardingPacks.groupId, set });
}

export function missingParts(pack: ResolvedPack): PackPart[] {
  return PACK_PARTS.filter((p) => p !== 'contacts' && pack.parts[p] === undefined);
}

/** The roles a newcomer is told about: not coordinator (not taken up) or member (everyone is one). */
export function rolesToDescribe(roles: readonly RoleRow[]): RoleRow[] {
  return roles.filter((r) => r.key !== 'coordinator' && r.key !== 'member');
}

export interface PackView {
  readonly group: GroupRow;
  readonly pack: ResolvedPack;
  readonly roles: readonly RoleRow[];
  readonly coordinators: readonly MemberRow[];
}

/** The pack as text blocks, in plain language; the same for newcomers and for `onboarding show`. */
export function packBlocks(view: PackView): { blocks: Block[]; lines: string[] } {
  const { pack, coordinators } = view;
  const who = listOf(coordinators.map(mention));
  const text = (part: PackPart): string => {
    // The coordinators' own words: shown as they wrote them, never as markup or a mention.
    const written = pack.parts[part];
    const own = written === undefined ? undefined : literal(written);
    if (part === 'contacts')
      return (
        own ??
        (who
          ? `${who}, who coordinate${coordinators.length > 1 ? '' : 's'} the group.`
          : 'The group’s coordinator.')
      );
    if (part === 'payment') return `${own ?? NOT_FILLED.payment}\n${PAYMENT_RIGHTS}`;
    return own ?? NOT_FILLED[part];
  };
  const roles = rolesToDescribe(view.roles)
    .map((r) => `- **${literal(r.name)}**: ${literal(r.description)}`)
    .join('\n');
  const sections: [string, string][] = [
    [PART_TITLES.purpose, text('purpose')],
    ['Roles and what they involve', roles],
    [PART_TITLES.timeCommitment, text('timeCommitment')],
    [PART_TITLES.contacts, text('contacts')],
    [PART_TITLES.payment, text('payment')],
    [PART_TITLES.support, text('support')],
  ];
  const blocks: Block[] = sections.map(([title, body]) => ({ type: 'text', text: `**${title}**\n${body}` }));
  const lines = sections.map(([title, body]) => `${title}: ${body.replace(/\*\*/g, '')}`);
  return { blocks, lines };
}

/** `/copro onboarding show`: the pack as newcomers see it, and what is still to fill in. */
export function packMessage(view: PackView, forCoordinator: boolean): Message {
  const { blocks, lines } = packBlocks(view);
  const checklist = view.pack.checklist.map((item, i) => `${i + 1}. ${literal(item)}`).join('\n');
  const missing = missingParts(view.pack);
  const notes: string[] = [];
  if (forCoordinator) {
    notes.push(
      missing.length > 0
        ? `Not filled in yet: ${listOf(missing.map((p) => PART_TITLES[p].toLowerCase()))}. Newcomers see a note asking them to check with you. Fill them in with /copro onboarding edit.`
        : 'Every part is filled in. Change it with /copro onboarding edit.',
    );
    if (view.pack.checklistIsDefault)
      notes.push(
        'The checklist is copro’s default. Change it with /copro onboarding checklist add "text" or remove N.',
      );
    notes.push(
      view.pack.selfChosenRoles
        ? 'Newcomers may choose a role for themselves (expert by experience or carer).'
        : 'Newcomers do not choose a role for themselves; coordinators give roles.',
    );
  }
  const heading = `Onboarding pack for ${literal(view.group.name)}`;
  const checklistTitle = 'Expectations newcomers confirm';
  return {
    text: [heading, ...lines, `${checklistTitle}:`, checklist || '(none)', ...notes].join('\n'),
    blocks: [
      { type: 'heading', text: heading },
      ...blocks,
      { type: 'text', text: `**${checklistTitle}**\n${checklist || 'None: newcomers skip this step.'}` },
      ...notes.map((n): Block => ({ type: 'context', text: n })),
    ],
  };
}
