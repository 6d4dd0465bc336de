/**
 * /copro my-data: every feature's declaration asked what it holds about the person, put together
 * as one JSON file and a short summary for the chat. Building the file and the summary are pure
 * functions of the sections, so what a member receives can be tested without a platform.
 */
import type { MemberRow } from '../../db/client.js';
import type { FileAttachment, Message } from '../chat/index.js';
import { plural } from '../text.js';
import type { ExportScope, ExportSection, NamedPersonalData } from './declaration.js';

export type ExportFile = FileAttachment & { readonly title: string };

/** Every section every feature has about the member, in the order of the feature list. */
export async function collectExport(
  declarations: readonly NamedPersonalData[],
  scope: ExportScope,
): Promise<ExportSection[]> {
  const sections: ExportSection[] = [];
  for (const d of declarations) sections.push(...(await d.export(scope)));
  return sections;
}

/** The JSON file: readable keys, dates in ISO 8601 (UTC), one entry per section. */
export function exportFile(sections: readonly ExportSection[], member: MemberRow, at: Date): ExportFile {
  const body = {
    about:
      'Everything copro holds about you, as of the time below. Dates and times are in UTC. ' +
      'To have it deleted, type /copro forget-me.',
    exportedAt: at.toISOString(),
    account: { platform: member.platform, workspace: member.workspaceId, userId: member.userId },
    sections: sections.map((s) => ({
      title: s.title,
      table: s.table,
      ...(s.note && (s.rows.length > 0 || s.noteEvenIfEmpty) ? { note: s.note } : {}),
      rows: s.rows,
    })),
  };
  return {
    name: `copro-my-data-${at.toISOString().slice(0, 10)}.json`,
    mimeType: 'application/json',
    title: 'Everything copro holds about you',
    content: `${JSON.stringify(body, null, 2)}\n`,
  };
}

/** The chat answer: what there is, by heading, with the notes that explain what is not there. */
export function exportSummary(sections: readonly ExportSection[], file: ExportFile): Message {
  const held = sections.filter((s) => s.rows.length > 0);
  const lines = held.map((s) => `• ${s.title}: ${plural(s.rows.length, 'entry', 'entries')}`);
  // A note goes with the rows it explains; one that says what is not here, even without rows.
  const notes = sections.flatMap((s) => (s.note && (s.rows.length > 0 || s.noteEvenIfEmpty) ? [s.note] : []));
  const intro =
    held.length > 0
      ? 'This is everything copro holds about you:'
      : 'copro holds nothing about you beyond the fact that you used a command.';
  const after =
    `The full details are in the file ${file.name}, which only you can see. ` +
    'To have all of it deleted, type /copro forget-me.';
  const text = [intro, ...lines, ...notes, after].join('\n');
  return {
    text,
    blocks: [
      { type: 'heading', text: 'Your data' },
      { type: 'text', text: [intro, ...lines].join('\n') },
      ...notes.map((n) => ({ type: 'context' as const, text: n })),
      { type: 'text', text: after },
    ],
    files: [file],
  };
}
