/**
 * `/copro meeting notes`: what a meeting decided and the actions it agreed, each line optionally
 * linked to the agenda item it came from (and so to the member who raised it). The notes are
 * posted in the channel, naming who raised each item: people hear what changed because of them.
 */
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.js';
import { type Form, lengthErrors, literal, type Message, textMessage, withoutBold } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { FormContext } from '../features.js';
import type { GroupRow } from '../groups/types.js';
import { upsertMessage } from '../jobs/index.js';
import { mention } from '../text.js';
import { meetingForCoordinator } from './lookup.js';
import { meetingTitle } from './render.js';
import { type AgendaEntry, findMeeting, homeChannel, type MeetingRow, openItems } from './store.js';

export const NOTES_FORM = 'meeting.notes';
const LIMITS = { decisions: 3000, actions: 3000 } as const;
const MAX_LINE = 500;
const MAX_LINES = 30;
const LINKED = /^\s*(\d{1,2})\s*[:.)]\s*(.+)$/s;
type Kind = 'decision' | 'action';

async function outcomesOf(db: Tx | FormContext['deps']['db'], meetingId: number) {
  return db
    .select()
    .from(schema.meetingOutcomes)
    .where(eq(schema.meetingOutcomes.meetingId, meetingId))
    .orderBy(schema.meetingOutcomes.id);
}

function asLines(
  rows: Awaited<ReturnType<typeof outcomesOf>>,
  kind: Kind,
  items: readonly AgendaEntry[],
): string {
  return rows
    .filter((r) => r.kind === kind)
    .map((r) => {
      const n = items.findIndex((i) => i.id === r.agendaItemId);
      return n >= 0 ? `${n + 1}: ${r.text}` : r.text;
    })
    .join('\n');
}

export async function openNotesForm(ctx: ContextOf<'meeting.notes'>): Promise<Reply> {
  const meeting = await findMeeting(ctx.deps.db, ctx.group, ctx.args.meeting);
  if (meeting.status === 'cancelled')
    throw new UserError('meeting_cancelled', `Meeting ${meeting.code} was cancelled, so it has no notes.`);
  if (meeting.startsAt > ctx.deps.clock.now())
    throw new UserError(
      'not_yet',
      `Meeting ${meeting.code} has not begun yet. Its notes can be written once it has.`,
    );
  const items = await openItems(ctx.deps.db, meeting.id);
  const rows = await outcomesOf(ctx.deps.db, meeting.id);
  const hint = `One per line. Start a line with an agenda item's number, like "2: ...", to link it to that item${items.length > 0 ? ` (1 to ${items.length})` : ''}.`;
  const form: Form = {
    id: NOTES_FORM,
    title: `Notes of ${meeting.code}`,
    submitLabel: 'Save and post',
    state: meeting.code,
    fields: [
      {
        kind: 'paragraph',
        id: 'decisions',
        label: 'What was decided',
        hint,
        initial: asLines(rows, 'decision', items),
        maxLength: LIMITS.decisions,
      },
      {
        kind: 'paragraph',
        id: 'actions',
        label: 'Actions agreed, and who does them',
        hint,
        initial: asLines(rows, 'action', items),
        maxLength: LIMITS.actions,
      },
    ],
  };
  await ctx.event.openForm(form);
  return privately(`The notes form for ${meeting.code} is open.`);
}

interface Line {
  readonly text: string;
  readonly item?: AgendaEntry;
}

function readLines(raw: string, items: readonly AgendaEntry[]): { lines: Line[]; problem?: string } {
  const typed = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (typed.length > MAX_LINES) return { lines: [], problem: `Please keep to ${MAX_LINES} lines.` };
  const lines: Line[] = [];
  for (const line of typed) {
    if ([...line].length > MAX_LINE)
      return { lines: [], problem: `Please keep each line to ${MAX_LINE} characters.` };
    const linked = LINKED.exec(line);
    if (!linked) {
      lines.push({ text: line });
      continue;
    }
    const item = items[Number(linked[1]) - 1];
    if (!item)
      return {
        lines: [],
        problem:
          items.length === 0
            ? `The agenda had no items, so "${linked[1]}:" links to nothing. Leave the number off.`
            : `The agenda has items 1 to ${items.length}, so there is no item ${linked[1]}.`,
      };
    lines.push({ text: linked[2]!.trim(), item });
  }
  return { lines };
}

function describe(line: Line, items: readonly AgendaEntry[]): string {
  if (!line.item) return `- ${literal(line.text)}`;
  const n = items.indexOf(line.item) + 1;
  const raiser = line.item.raisedByUserId
    ? `, raised by ${mention({ userId: line.item.raisedByUserId })}`
    : '';
  return `- ${literal(line.text)} (item ${n}, "${literal(line.item.title)}"${raiser})`;
}

export function notesMessage(
  meeting: MeetingRow,
  decisions: readonly Line[],
  actions: readonly Line[],
  items: readonly AgendaEntry[],
): Message {
  const heading = `Notes from ${meetingTitle(meeting)}`;
  const decided =
    decisions.length > 0 ? decisions.map((l) => describe(l, items)) : ['- Nothing was decided.'];
  const todo = actions.length > 0 ? actions.map((l) => describe(l, items)) : ['- No actions.'];
  const thanks = 'Thank you to everyone who came and who raised items: this is what changed because of you.';
  const text = [heading, '**Decided**', ...decided, '**Actions**', ...todo, thanks].join('\n');
  return {
    text: withoutBold(text),
    blocks: [
      { type: 'heading', text: heading },
      { type: 'text', text: `**Decided**\n${decided.join('\n')}` },
      { type: 'text', text: `**Actions**\n${todo.join('\n')}` },
      { type: 'context', text: thanks },
    ],
  };
}

export async function saveNotes(ctx: FormContext): Promise<Readonly<Record<string, string>> | undefined> {
  const { deps, event } = ctx;
  const { meeting, group } = await meetingForCoordinator(ctx, 'record meeting notes', 'Nothing was saved.');
  const errors: Record<string, string> = { ...lengthErrors(LIMITS, event.values) };
  if (Object.keys(errors).length > 0) return errors;
  const items = await openItems(deps.db, meeting.id);
  const text = (id: string) => {
    const v = event.values[id];
    return typeof v === 'string' ? v : (v ?? []).join('\n');
  };
  const decisions = readLines(text('decisions'), items);
  const actions = readLines(text('actions'), items);
  if (decisions.problem) errors.decisions = decisions.problem;
  if (actions.problem) errors.actions = actions.problem;
  if (Object.keys(errors).length > 0) return errors;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.delete(schema.meetingOutcomes).where(eq(schema.meetingOutcomes.meetingId, meeting.id));
    const rows = [
      ...decisions.lines.map((l) => ({ kind: 'decision' as const, line: l })),
      ...actions.lines.map((l) => ({ kind: 'action' as const, line: l })),
    ];
    if (rows.length > 0)
      await tx.insert(schema.meetingOutcomes).values(
        rows.map(({ kind, line }) => ({
          meetingId: meeting.id,
          kind,
          text: line.text,
          agendaItemId: line.item?.id ?? null,
          recordedBy: ctx.member.id,
          recordedAt: now,
        })),
      );
    await postNotes(tx, group, meeting, notesMessage(meeting, decisions.lines, actions.lines, items), now);
  });
  await deps.outbox?.flush();
  await event.reply(
    textMessage(
      `Saved. The notes of ${meeting.code} are posted in <#${group.homeChannelId}>; saving them again updates that post.`,
    ),
  );
  return undefined;
}

async function postNotes(tx: Tx, group: GroupRow, meeting: MeetingRow, message: Message, now: Date) {
  await upsertMessage(tx, now, {
    purpose: `meeting.notes:${meeting.id}`,
    platform: group.platform,
    destination: homeChannel(group),
    message,
    groupId: group.id,
  });
}
