import { describe, expect, it } from 'vitest';
import type { MemberRow } from '../../db/client.js';
import type { ExportSection } from '../../src/privacy/declaration.js';
import { exportFile, exportSummary } from '../../src/privacy/export.js';

const member: MemberRow = {
  id: 4,
  platform: 'slack',
  workspaceId: 'T1',
  userId: 'U4',
  displayName: 'Sam',
  timezone: null,
  createdAt: new Date('2026-11-01T09:00:00Z'),
};
const at = new Date('2026-11-23T10:00:00Z');
const votes: ExportSection = {
  table: 'poll_votes',
  title: 'Your votes',
  note: 'Votes in anonymous polls are not here.',
  rows: [{ question: 'Which day?', choices: ['Friday'] }],
};
const empty: ExportSection = { table: 'buddy_settings', title: 'Your buddy settings', rows: [] };

describe('the my-data file', () => {
  it('is JSON named for the day, with each section under its heading and its note', () => {
    const file = exportFile([votes, empty], member, at);
    expect(file).toMatchObject({ name: 'copro-my-data-2026-11-23.json', mimeType: 'application/json' });
    const body = JSON.parse(file.content);
    expect(body.exportedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(body.account).toEqual({ platform: 'slack', workspace: 'T1', userId: 'U4' });
    expect(body.sections[0]).toEqual({
      title: 'Your votes',
      table: 'poll_votes',
      note: 'Votes in anonymous polls are not here.',
      rows: [{ question: 'Which day?', choices: ['Friday'] }],
    });
    expect(body.sections[1]).toEqual({ title: 'Your buddy settings', table: 'buddy_settings', rows: [] });
    expect(body.about).toContain('/copro forget-me');
  });
});

describe('the my-data answer in chat', () => {
  it('lists what there is by heading, says what is not there and why, and carries the file', () => {
    const file = exportFile([votes, empty], member, at);
    const message = exportSummary([votes, empty], file);
    expect(message.text).toBe(
      [
        'This is everything copro holds about you:',
        '• Your votes: 1 entry',
        'Votes in anonymous polls are not here.',
        'The full details are in the file copro-my-data-2026-11-23.json, which only you can see. To have all of it deleted, type /copro forget-me.',
      ].join('\n'),
    );
    expect(message.files).toEqual([file]);
  });

  it('leaves out a note about rows that are not there, and keeps one about what is never there', () => {
    const aboutRows: ExportSection = { ...empty, note: 'copro keeps these without a name.' };
    const aboutAbsence: ExportSection = { ...votes, rows: [], noteEvenIfEmpty: true };
    const file = exportFile([aboutRows, aboutAbsence], member, at);
    const text = exportSummary([aboutRows, aboutAbsence], file).text;
    expect(text).not.toContain('copro keeps these without a name.');
    expect(text).toContain('Votes in anonymous polls are not here.');
    expect(file.content).not.toContain('copro keeps these without a name.');
  });

  it('says plainly when copro holds nothing', () => {
    const file = exportFile([empty], member, at);
    expect(exportSummary([empty], file).text).toContain(
      'copro holds nothing about you beyond the fact that you used a command.',
    );
  });
});
