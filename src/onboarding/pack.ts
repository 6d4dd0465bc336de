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

/** Always said, whatever the group writes: a member's right, and a known trap for people on benefits. */
export const PAYMENT_RIGHTS =
  'You may say no or take less. On benefits? Ask Citizens Advice before you accept.';

export const DEFAULT_CHECKLIST: readonly string[] = [
  'Taking part is your choice. You can stop any time, without a reason.',
  'Do as much or as little as suits you. Health comes first.',
  'Your experience and views count as much as anyone else’s.',
  'We will tell you what your input changed.',
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

/** "what the group is for, the time it asks, and payment and expenses": the parts' names have "and" in them. */
export function partsList(parts: readonly PackPart[]): string {
  const names = parts.map((p) => PART_TITLES[p].toLowerCase());
  return names.length > 1 ? `${names.slice(0, -1).join(', ')}, and ${names.at(-1)}` : (names[0] ?? '');
}

export interface PackView {
  readonly group: GroupRow;
  readonly pack: ResolvedPack;
  readonly roles: readonly RoleRow[];
  readonly coordinators: readonly MemberRow[];
}

/**
 * The pack as text blocks, in plain language and as few words as it can: the same for
 * newcomers and for `onboarding show`. Parts the group wrote are shown in its own words, each
 * under its title. Parts it has not written are named together in one line that asks the
 * newcomer to check with the coordinators, who are the contact unless the group wrote another.
 * The payment rights are always said.
 */
export function packBlocks(view: PackView): { blocks: Block[]; lines: string[] } {
  const { pack, coordinators } = view;
  const who = coordinators.length > 0 ? listOf(coordinators.map(mention)) : 'the coordinator';
  // The coordinators' own words: shown as they wrote them, never as markup or a mention.
  const own = (part: PackPart) => {
    const written = pack.parts[part];
    return written === undefined ? undefined : literal(written);
  };
  const member = view.roles.find((r) => r.key === 'member');
  const sections: [string, string][] = [];
  const add = (title: string, body: string | undefined) => {
    if (body) sections.push([title, body]);
  };
  add(PART_TITLES.purpose, own('purpose'));
  add('What a member does', member ? literal(member.description) : undefined);
  add(PART_TITLES.timeCommitment, own('timeCommitment'));
  add(PART_TITLES.payment, own('payment'));
  add(PART_TITLES.support, own('support'));
  const missing = missingParts(pack);
  if (missing.length > 0) {
    add(`Ask ${who} about`, `${partsList(missing)}.`);
  }
  add(PART_TITLES.contacts, own('contacts') ?? (missing.length > 0 ? undefined : `${who}.`));
  add('If you are paid', PAYMENT_RIGHTS);
  const blocks: Block[] = sections.map(([title, body]) => ({ type: 'text', text: `**${title}**: ${body}` }));
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
        ? `Not filled in yet: ${partsList(missing)}. Newcomers see a note asking them to check with you. Fill them in with /copro onboarding edit.`
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
