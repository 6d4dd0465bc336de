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
    ['role add @Sam researcher', 'sam', 'Sam', 'console', true],
  ])(
    'reads the mention in %j (%s)',
    (line: string, userId: string, displayName: string | undefined, _form: string, typed?: boolean) => {
      expect(parsed(line)).toEqual({
        id: 'role.add',
        args: {
          user: { kind: 'mention', userId, displayName, ...(typed ? { typed } : {}) },
          role: 'researcher',
        },
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
    ['buddy pause 4w', 'buddy.pause', { for: '4w' }],
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
      'log.time',
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

  it('takes a placeholder copied from the usage line for what it is, not for a value', () => {
    expect(refused('role add @sam ROLE')).toMatch(
      /^ROLE only shows where something goes\. Type the real one in its place: the role, e\.g\. researcher/,
    );
    expect(refused('log 1h "Read papers" --type TYPE')).toMatch(/^TYPE only shows where something goes/);
    expect(refused('log fix ID --time 1h')).toMatch(
      /^ID only shows where something goes\. Type the real one in its place: record number\./,
    );
    // Phrases in quotes that describe what goes there, lists of choices and mentions too.
    expect(refused('poll "Question?" "Option A" "Option B"')).toMatch(
      /^"Question\?" only shows where something goes\. Type the real one in its place: the question\./,
    );
    // Two designs called Option A and Option B are real answers.
    expect(parsed('poll "Which design?" "Option A" "Option B"')).toMatchObject({ id: 'poll.new' });
    expect(refused('meeting new "Title" "next Tuesday 2pm"')).toMatch(/^"Title" only shows where/);
    expect(refused('log 2h "what you did"')).toMatch(/^"what you did" only shows where/);
    expect(refused('feedback "..."')).toMatch(/^"\.\.\." only shows where/);
    expect(refused('payments rate meeting £25|none')).toMatch(/^£25\|none only shows where/);
    // A word that only looks alike is a value, and so is an example of a real value.
    expect(parsed('role add @sam role')).toMatchObject({ id: 'role.add' });
    expect(parsed('meeting new "Planning" "next Tuesday 2pm"')).toMatchObject({ id: 'meeting.new' });
  });

  it('says the command meant when its last word came after the others', () => {
    const meant = (line: string, command: string) =>
      expect(refused(line)).toBe(`Did you mean /copro ${command}? If so, please type it again that way.`);
    meant('feedback F1 close "We meet on Mondays now"', 'feedback close F1 "We meet on Mondays now"');
    meant('feedback F1 close', 'feedback close F1');
    meant('meeting M7K2 cancel', 'meeting cancel M7K2');
    meant('buddy 4w pause', 'buddy pause 4w');
    meant('onboarding checklist 1 remove', 'onboarding checklist remove 1');
    meant('agenda M7K2 add "Payment for reviewers"', 'agenda add M7K2 "Payment for reviewers"');
    // Feedback in words of its own, with "close" among them, is feedback.
    expect(parsed('feedback Meetings close too late')).toMatchObject({ id: 'feedback.new' });
    expect(parsed('feedback "The room is cold, close the window"')).toMatchObject({ id: 'feedback.new' });
  });

  it('explains an unknown command without blaming anyone', () => {
    expect(refused('frobnicate now')).toContain('copro does not know "frobnicate"');
  });

  it('refuses a poll with one option, saying how many are needed', () => {
    expect(refused('poll "Tea?" "Yes"')).toContain(
      'Please give between 2 and 20 answers, each in "quotes" (you gave one answer).',
    );
  });

  it('says which answer of a poll is empty, rather than counting answers', () => {
    expect(refused('poll "Empty?" "" "No"')).toMatch(/^The first answer is empty\./);
    expect(refused('poll "Empty?" "Yes" "" "No"')).toMatch(/^The second answer is empty\./);
  });

  it('points at a stray quote mark, rather than keeping it as part of an answer, and shows the usage', () => {
    expect(refused('poll "Tea?" Yes" "No"')).toMatch(
      /^A quote mark is out of place in Yes"\. Put quotes around a whole phrase, with a space before and after, like "Yes" "No"\.\nUsage: \/copro poll "Question\?"/,
    );
  });

  it('points at a word run on after a closing quote, rather than making it one more answer', () => {
    expect(refused('poll "Tea?" "Yes" "No"maybe')).toMatch(
      /^A quote mark is out of place in "No"maybe\. Put quotes around a whole phrase, with a space before and after/,
    );
    expect(parsed('poll "Tea?" "Yes""No"')).toMatchObject({ args: { options: ['Yes', 'No'] } });
  });

  it('asks for double quotes when a phrase is in single ones, rather than posting a garbled poll', () => {
    for (const line of ["poll 'Which day?' 'Mon' 'Tue'", 'role define ‘lay reviewer’ ‘Reads drafts’'])
      expect(refused(line)).toMatch(
        /^Please put phrases in double quotes, like "Yes" "No"\.[\s\S]*\nUsage: \/copro /,
      );
    expect(parsed('poll "Don\'t know?" "Yes" "Don\'t know"')).toMatchObject({
      args: { question: "Don't know?", options: ['Yes', "Don't know"] },
    });
  });

  it('says an option needs a value when the next word is another option, not that the rest is too much', () => {
    expect(refused('setup --timezone --name "Carers"')).toMatch(
      /^--timezone needs a value: where the group meets/,
    );
    expect(parsed('setup --name "--hello"')).toMatchObject({ args: { name: '--hello' } });
  });

  it('blames a phrase left open, not the word after it, when a closing quote is missing', () => {
    const answer = refused('poll "Tea or coffee? "Tea" "Coffee"');
    expect(answer).toMatch(
      /^A quote mark is missing after "Tea or coffee\?"\. Put a " at the end of each phrase, with a space before the next one, like "Tea or coffee\?" "Tea"\.\nUsage: \/copro poll /,
    );
    expect(answer).toContain('\nExample: /copro poll');
  });

  it('names the 80-character answer limit, not the 4,000-character command limit, for a pasted answer', () => {
    const answer = refused(`poll "Which leaflet?" "${'x'.repeat(5000)}" "The short one"`);
    expect(answer).toMatch(
      /^Each of the options can be at most 80 characters long; this one has 5,000\. Please make it shorter\.\nUsage: \/copro poll /,
    );
    expect(answer).not.toContain('4000');
  });

  it('writes long numbers with thousands separators when a whole command is too long', () => {
    const words = Array.from({ length: 1100 }, () => 'yes').join(' ');
    expect(refused(`poll "Q?" ${words}`)).toMatch(/the most is 4,000\)/);
  });

  it('shows the usage of the command when a quote is never closed', () => {
    expect(refused('role define carer "Looks after someone')).toMatch(
      /^A quote mark is not closed\. Put a " at the end of the phrase\.\nUsage: \/copro role define ROLE/,
    );
  });

  it('asks for a missing value in the words of its description', () => {
    expect(refused('meeting new "Planning"')).toMatch(
      /^Please say when, e\.g\. "next Tuesday 2pm" or "first Tuesday 2pm"\.\n/,
    );
    expect(refused('poll close')).toMatch(/^Please say the poll id\.\n/);
    expect(refused('poll')).toMatch(/^Please say the question\.\n/);
  });

  it('lists the allowed words when a value is not one of them, and takes them in any case', () => {
    expect(refused('poll starters all')).toMatch(/^Please choose "everyone" or "coordinators", not "all"\./);
    expect(parsed('poll starters Coordinators').args).toEqual({ who: 'coordinators' });
  });

  it('names the words that may follow a command that has several, when one is missing or wrong', () => {
    expect(refused('digest')).toBe(
      '/copro digest needs one more word. Type /copro digest followed by preview, now or schedule, ' +
        'for example /copro digest preview. For more, type /copro help digest.',
    );
    expect(refused('digest later')).toMatch(
      /^\/copro digest cannot be followed by "later"\. Type \/copro digest/,
    );
    expect(refused('onboarding checklist')).toBe(
      '/copro onboarding checklist needs one more word. Type /copro onboarding checklist followed by add or remove, ' +
        'for example /copro onboarding checklist add "We will tell you what changed because of your input". ' +
        'For more, type /copro help onboarding.',
    );
    expect(refused('onboarding checklist delete 2')).toMatch(
      /^\/copro onboarding checklist cannot be followed by "delete"\. Type \/copro onboarding checklist followed by add or remove/,
    );
  });

  it('points at an empty pair of quotes the command does not need, instead of echoing nothing', () => {
    const message = refused('roles ""');
    expect(message).toContain('There is an empty pair of quotes ("") here');
    expect(message).not.toContain('needs: ""');
    expect(refused('roles "" extra')).toContain('more here than the command needs: "extra"');
  });

  it('reads an option whose two dashes a phone turned into one long dash', () => {
    for (const dash of ['—', '–', '——', '—-'])
      expect(parsed(`log 1h read papers ${dash}type meeting`).args).toMatchObject({
        what: 'read papers',
        type: 'meeting',
      });
    // A word that starts with a dash and names no option of the command stays as typed.
    expect(parsed('feedback Meetings run long —and nobody stops them').args.text).toBe(
      'Meetings run long —and nobody stops them',
    );
  });

  it('reads hours and minutes typed apart, as copro writes a time back, as one time', () => {
    expect(parsed('log 1h 30m read papers').args).toMatchObject({ time: 90, what: 'read papers' });
    expect(parsed('log 30m 1h review').args).toMatchObject({ time: 30, what: '1h review' });
  });

  it('reads a number and its unit typed after an option as one length of time', () => {
    expect(parsed('poll "Which day?" Mon Tue --closes 3 days').args).toMatchObject({
      question: 'Which day?',
      options: ['Mon', 'Tue'],
      closes: '3 days',
    });
    expect(
      parsed('meeting new "Review" "next Tuesday 2pm" --length 90 minutes --every 4 weeks').args,
    ).toMatchObject({ length: 90, every: '4 weeks' });
    // Only a unit joins the number, and only for an option that may be a time.
    expect(parsed('poll "Which day?" Mon Tue --closes 3 people').args).toMatchObject({
      options: ['Mon', 'Tue', 'people'],
      closes: '3',
    });
    expect(parsed('agenda add M3 Payment --minutes 10 hours').args).toMatchObject({ minutes: 10 });
  });

  it('takes the words of a phrase typed without quotes from around the named options', () => {
    expect(parsed('feedback close F1 We tried --unchanged but the budget was cut').args).toMatchObject({
      outcome: 'We tried but the budget was cut',
      unchanged: true,
    });
    expect(parsed('agenda add M3 Payment --minutes 10 for reviewers').args).toMatchObject({
      minutes: 10,
    });
    expect(parsed('log 1h read --type=meeting papers').args.what).toBe('read papers');
  });

  it("advises quotes for extra words only where the command takes words of the person's own", () => {
    const mine = refused('my-data please');
    expect(mine).toContain('more here than the command needs: "please". Please leave it out.');
    expect(mine).not.toContain('quotes');
    expect(refused('meeting new "Review" "next Tuesday 2pm" --where Room 4')).toContain(
      'more here than the command needs: "4". To give --where more than one word, put them in quotes: --where "Room 4".',
    );
    // A type, a date or a length may be several words: quotes help there.
    for (const line of ['payments rate document review £25', 'buddy pause 4 weeks'])
      expect(refused(line)).toContain('Put phrases in "quotes".');
    // One of a few fixed choices is one word too.
    for (const line of ['poll starters coordinators only', 'match run --size 3 people'])
      expect(refused(line)).toContain('Please leave it out.');
    expect(refused('report --from 20 Nov')).toContain('put them in quotes: --from "20 Nov".');
    // A meeting's or a poll's id is one word: quotes would not help.
    expect(refused('meeting cancel M1 now please')).toContain('"now please". Please leave it out.');
    expect(refused('poll close PU5T now')).toContain('"now". Please leave it out.');
  });

  it('suggests the command a slip of a letter or two meant, instead of reading it as something else', () => {
    expect(refused('poll clsoe P7K2')).toBe(
      'Did you mean /copro poll close P7K2? If so, please type it again that way.',
    );
    expect(refused('hepl poll')).toBe(
      'copro does not know "hepl". Did you mean /copro help poll? Type /copro help to see everything copro can do.',
    );
    // Two commands as near ("role" and "roles"): no guess.
    expect(refused('rols')).not.toContain('Did you mean');
    // A question that only looks like a slip is still a poll when it reads as one.
    expect(parseCommand('poll clsoe "Yes" "No"').ok).toBe(true);
    // Nothing close enough: no guess.
    expect(refused('onboarding checklist delete 2')).not.toContain('Did you mean');
  });

  it('answers an option given an empty value plainly, instead of ignoring it', () => {
    expect(refused('setup --name ""')).toMatch(/^--name needs a value: a name for the group\.\n/);
  });

  it('on Discord, ignores a separator at the end of the answers but not an empty answer between two', () => {
    const ok = parseStructured('poll.new', { question: 'Day?', options: 'Monday; Friday;' });
    expect(ok.ok && ok.args.options).toEqual(['Monday', 'Friday']);
    const gap = parseStructured('poll.new', { question: 'Day?', options: 'Monday; ; Friday' });
    expect(gap.ok ? '' : gap.error.message).toMatch(
      /^The second answer is empty\. Put some words between the semicolons, or leave it out\./,
    );
  });

  it('says what a whole number is for after the number, so brackets do not nest', () => {
    expect(refused('meeting post-ahead seven')).toMatch(
      /^Please give a whole number, not "seven": how many days before, from 1 to 28 \(7 until you change it\)\./,
    );
  });

  it('refuses an unknown flag by name', () => {
    expect(refused('roles --everyone')).toContain('--everyone');
  });

  it('refuses a bad duration with examples', () => {
    expect(refused('log soon "Read the papers"')).toContain(
      '"soon" is not a length of time. Try 45m, 2h or 1h30m.',
    );
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

describe('control characters in what people type', () => {
  it.each([
    ['a NUL byte', '\u0000'],
    ['a bell', '\u0007'],
    ['an escape', '\u001b'],
    ['a delete', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a right-to-left override, which makes text read backwards', '\u202e'],
    ['a left-to-right isolate', '\u2066'],
  ])('refuses a poll question holding %s with a plain answer about pasting', (_what, ch) => {
    const message = refused(`poll "My diagnosis is${ch} private" "Yes" "No"`);
    expect(message).toContain('hidden control character');
    expect(message).toContain('type it again');
  });

  it('refuses a control character that arrives as a Discord option too', () => {
    const result = parseStructured('poll.new', { question: 'Which\u0000 day?', options: 'Mon; Tue' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('hidden control character');
  });

  it('takes right-to-left writing and the direction marks it uses', () => {
    expect(parsed('poll "\u0645\u062a\u0649\u200f?" "Mon" "Tue"').args.question).toBe(
      '\u0645\u062a\u0649\u200f?',
    );
  });

  it('still takes tabs and line breaks, which people do type', () => {
    expect(parsed('poll "Which\tday?" "Mon" "Tue"').args.question).toBe('Which\tday?');
    expect(parsed('role define mentor "Helps new members\nsettle in"').args.description).toBe(
      'Helps new members\nsettle in',
    );
  });
});

describe('how long member text can be', () => {
  const x = (n: number) => 'x'.repeat(n);

  it.each([
    ['a group name', (n: number) => `setup --name "${x(n)}"`, 80],
    ['a poll question', (n: number) => `poll "${x(n)}" "A" "B"`, 300],
    ['a poll option', (n: number) => `poll "Which?" "${x(n)}" "B"`, 80],
    ['a role name', (n: number) => `role define "${x(n)}" "What it involves"`, 40],
    ['a role description', (n: number) => `role define mentor "${x(n)}"`, 500],
    ['a role given to someone', (n: number) => `role add <@U1> "${x(n)}"`, 40],
  ])('takes %s up to its limit and refuses one character more, saying the limit', (_what, line, max) => {
    expect(parseCommand(line(max)).ok).toBe(true);
    const message = refused(line(max + 1));
    expect(message).toContain(`at most ${max} characters`);
    expect(message.length).toBeLessThan(400);
  });

  it('names a value by what it is, not by its option, when it is too long', () => {
    expect(refused(`meeting new "Plan" "${x(200)}"`)).toContain(
      'The time can be at most 100 characters long; this one has 200.',
    );
  });

  it('refuses a 100,000-character group name without repeating it', () => {
    const message = refused(`setup --name "${x(100_000)}"`);
    expect(message).toContain('The name can be at most 80 characters long; this one has 100,000.');
    expect(message.length).toBeLessThan(400);
  });

  it('refuses a 10,000-character mention, or a 3,000-character one: nobody is made from it', () => {
    expect(refused(`role add @${x(10_000)} researcher`)).toContain('can be at most 100 characters long');
    const message = refused(`role add @${x(3000)} researcher`);
    expect(message).toContain('at most 100 characters');
    expect(message.length).toBeLessThan(400);
  });

  it('refuses a 10,000-character command without quoting it back', () => {
    const message = refused(x(10_000));
    expect(message).toContain('too long for one command');
    expect(message.length).toBeLessThan(150);
  });

  it('cuts short an unknown command when it quotes it back', () => {
    const message = refused(x(3000));
    expect(message).toContain('copro does not know "xxxxxxxx');
    expect(message).toContain('…');
    expect(message.length).toBeLessThan(150);
  });

  it('keeps every refusal short, whatever was typed', () => {
    const long = fc.string({ minLength: 200, maxLength: 5000 });
    const shapes = fc.constantFrom(
      (s: string) => s,
      (s: string) => `poll "${s}" "A" "B"`,
      (s: string) => `role add ${s} researcher`,
      (s: string) => `setup --timezone ${s}`,
      (s: string) => `poll close ${s}`,
      (s: string) => `help ${s}`,
    );
    fc.assert(
      fc.property(long, shapes, (s, shape) => {
        const result = parseCommand(shape(s));
        if (!result.ok) expect(result.error.message.length).toBeLessThan(600);
      }),
      { numRuns: 300 },
    );
  });
});
