import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, parseStructured } from '../../src/commands/parser.js';
import { UserError } from '../../src/errors.js';

function parsed(line: string) {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`expected "${line}" to parse, got: ${result.error.message}`);
  return { id: result.spec.id, args: result.args };
}

function refused(line: string): string {
  const result = parseCommand(line);
  if (result.ok) throw new Error(`expected "${line}" to be refused`);
  return result.error.message;
}

describe('real command lines', () => {
  it.each([
    ['role add <@U123> researcher', 'U123', undefined, 'Slack, bare'],
    ['role add <@U0G9QF9C6|sam> researcher', 'U0G9QF9C6', 'sam', 'Slack with should_escape'],
    ['role add <@80351110224678912> researcher', '80351110224678912', undefined, 'Discord'],
    ['role add <@!80351110224678912> researcher', '80351110224678912', undefined, 'Discord nickname'],
    ['role add @Sam researcher', 'sam', 'Sam', 'console'],
  ])(
    'reads the mention in %j (%s)',
    (line: string, userId: string, displayName: string | undefined, _form: string) => {
      expect(parsed(line)).toEqual({
        id: 'role.add',
        args: { user: { kind: 'mention', userId, displayName }, role: 'researcher' },
      });
    },
  );

  it.each([
    ['', 'help', {}],
    ['help poll', 'help', { command: 'poll' }],
    ['setup --timezone Europe/Paris', 'setup', { timezone: 'Europe/Paris' }],
    ['setup --timezone=America/New_York', 'setup', { timezone: 'America/New_York' }],
    ['ROLES', 'roles', {}],
    [
      'role define "lay reviewer" "Reads drafts"',
      'role.define',
      { role: 'lay reviewer', description: 'Reads drafts' },
    ],
    [
      'role define peer Reads drafts and says what is unclear',
      'role.define',
      { role: 'peer', description: 'Reads drafts and says what is unclear' },
    ],
    ['buddy pause 4w', 'buddy.pause', { for: 4 * 7 * 24 * 60 }],
    ['poll close P7K2', 'poll.close', { poll: 'P7K2' }],
    [
      'poll "Close the office?" "Yes" "No"',
      'poll.new',
      { question: 'Close the office?', options: ['Yes', 'No'] },
    ],
    [
      'poll “Which day?” “Mon” “Tue” --ranked --anonymous --closes 3d',
      'poll.new',
      { question: 'Which day?', options: ['Mon', 'Tue'], ranked: true, anonymous: true, closes: '3d' },
    ],
    ['agenda M3', 'agenda.show', { meeting: 'M3' }],
    ['agenda add M3 "Payment for reviewers"', 'agenda.add', { meeting: 'M3', item: 'Payment for reviewers' }],
    [
      'log 1.5h "Reviewed the leaflet" --for <@U9>',
      'log',
      {
        time: 90,
        what: 'Reviewed the leaflet',
        for: { kind: 'mention', userId: 'U9', displayName: undefined },
      },
    ],
    ['digest schedule "mon 09:00"', 'digest.schedule', { when: 'mon 09:00' }],
    ['match run --dry-run', 'match.run', { 'dry-run': true }],
  ])('parses %j', (line, id, args) => {
    expect(parsed(line)).toEqual({ id, args });
  });

  it('answers a missing argument with the usage line and an example', () => {
    expect(refused('role add')).toBe(
      'Say who: mention them with @.\nUsage: /copro role add @person ROLE\nExample: /copro role add @sam researcher',
    );
  });

  it('explains an unknown command without blaming anyone', () => {
    expect(refused('frobnicate now')).toContain('copro does not know "frobnicate"');
  });

  it('refuses a poll with one option, saying how many are needed', () => {
    expect(refused('poll "Tea?" "Yes"')).toContain('Give between 2 and 20 options');
  });

  it('refuses an unknown flag by name', () => {
    expect(refused('roles --everyone')).toContain('--everyone');
  });

  it('refuses a bad duration with examples', () => {
    expect(refused('buddy pause soon')).toContain('Try 45m, 2h, 3d or 2w');
  });

  it('binds structured options (Discord) through the same checks', () => {
    const result = parseStructured('poll.new', { question: 'Tea?', options: 'Yes; No ;Maybe', multi: true });
    expect(result.ok && result.args).toEqual({
      question: 'Tea?',
      options: ['Yes', 'No', 'Maybe'],
      multi: true,
    });
    const bad = parseStructured('role.add', { user: 'nobody', role: 'carer' });
    expect(bad.ok).toBe(false);
  });
});

describe('any input at all', () => {
  const words = fc.constantFrom(
    'role',
    'add',
    'remove',
    'define',
    'poll',
    'close',
    'help',
    'setup',
    '--multi',
    '--closes',
    '--timezone=',
    '<@U1|x>',
    '<@123>',
    '@sam',
    '"',
    '“',
    '3d',
    '--',
    '-',
    'log',
    'buddy',
    'pause',
    'agenda',
    'digest',
  );
  const line = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 12 }).map((ws) => ws.join(' ')),
  );

  it('never makes the parser throw: it parses or answers with a usage message', () => {
    fc.assert(
      fc.property(line, (input) => {
        const result = parseCommand(input);
        if (!result.ok) {
          expect(result.error).toBeInstanceOf(UserError);
          expect(result.error.message.length).toBeGreaterThan(10);
          expect(result.error.message).not.toMatch(/at .*\.ts:\d+/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any quoted phrase exactly as typed', () => {
    const phrase = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => !/["“”„«»]/.test(s) && s.trim() !== '');
    fc.assert(
      fc.property(phrase, phrase, phrase, (q, a, b) => {
        const result = parseCommand(`poll "${q}" "${a}" "${b}"`);
        expect(result.ok && result.args).toEqual({ question: q, options: [a.trim(), b.trim()] });
      }),
    );
  });
});
