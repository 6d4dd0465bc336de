import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsolePlatform } from '../../adapters/console/index.js';
import { createApp } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * The terminal chat in this process: the real console adapter and core on a real database, fed
 * lines as someone typing them would. Each session() is one run of `npm start` on the same data.
 */
let db: TestDb;
const FILES_DIR = mkdtempSync(join(tmpdir(), 'copro-terminal-files-'));
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
  rmSync(FILES_DIR, { recursive: true, force: true });
});
beforeEach(async () => db.reset());

async function session(lines: readonly string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => {
    printed += d;
  });
  const platforms: AppDeps['platforms'] = {};
  const dispatcher = createDispatcher({ db: db.db, clock: systemClock, logger: silentLogger(), platforms });
  const deps: AppDeps = {
    db: db.db,
    clock: systemClock,
    logger: silentLogger(),
    platforms,
    outbox: { flush: () => dispatcher.dispatchDue() },
  };
  const app = createApp(deps);
  const terminal = createConsolePlatform({ input, output, interactive: false, filesDir: FILES_DIR });
  platforms.console = terminal;
  await terminal.start(app.handle);
  input.end(lines.map((l) => `${l}\n`).join(''));
  await terminal.finished;
  await dispatcher.dispatchDue();
  return printed;
}

const RANKED = '/copro poll "What matters most?" "Pain" "Sleep" "Fatigue" --ranked';

describe('voting from the terminal', () => {
  it('after a restart, points to /copro polls, whose buttons vote on an older poll', async () => {
    await session(['/copro setup', '/copro poll "Tea or coffee?" "Tea" "Coffee"']);
    const later = await session(['/click 1', '/copro polls', '/click 2']);
    expect(later).toContain(
      'There is nothing to click: no choices have been shown since copro started, and those from before are gone. To carry on your welcome, type /copro join; to see the open polls with their buttons, type /copro polls.',
    );
    expect(later).toContain('Tea or coffee? (you have not voted yet; no closing time)');
    expect(later).toContain('[1] Tea   [2] Coffee');
    expect(later).toContain('Thank you. You voted "Coffee" on "Tea or coffee?".');
  });

  it('says which numbers there are when /click names one that is not shown', async () => {
    const out = await session(['/copro setup', '/copro poll "Tea?" "Yes" "No"', '/click 9']);
    expect(out).toContain('There is no choice 9: the last choices shown were numbered 1 to 2.');
  });
});

describe('numbered choices in the terminal', () => {
  it('numbers a message shown again afresh, rather than adding its buttons after their old numbers', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => {
      printed += d;
    });
    const terminal = createConsolePlatform({
      input: new PassThrough(),
      output,
      interactive: false,
      filesDir: FILES_DIR,
    });
    const poll = (votes: number) => ({
      text: `Tea? ${votes} votes`,
      blocks: [
        { type: 'text' as const, text: `Tea? ${votes} votes` },
        {
          type: 'buttons' as const,
          buttons: [
            { label: 'Yes', actionId: 'poll.vote', value: 'P1:0' },
            { label: 'No', actionId: 'poll.vote', value: 'P1:1' },
          ],
        },
      ],
    });
    const ref = await terminal.post({ kind: 'channel', channelId: 'general', workspaceId: 'local' }, poll(0));
    await terminal.update(ref, poll(1));
    expect(printed.split('updated):')[1]).toContain('[1] Yes   [2] No');
  });
});

describe('voting down the list of open polls in the terminal', () => {
  it('keeps the list’s numbers when a vote redraws the poll’s own message', async () => {
    const out = await session([
      '/copro setup',
      '/copro poll "Tea?" "Yes" "No"',
      '/copro poll "Cake?" "Lemon" "Carrot"',
      '/copro polls',
      '/click 1',
      '/click 3',
    ]);
    const afterList = out.slice(out.lastIndexOf('== '));
    expect(afterList).toContain('(The numbers you were shown last still work with /click.');
    expect(out).not.toContain('There is no choice 3');
    expect(out.match(/Thank you\. You voted/g)).toHaveLength(2);
  });
});

describe('the ranking form in the terminal', () => {
  it('takes options by name or number, and says once what was not an option', async () => {
    const out = await session(['/copro setup', RANKED, '/click 1', 'sleep', '7', 'Pain', '/skip']);
    expect(out).toContain(
      '"7" is not one of the choices. Type a number from 1 to 3, or the name of a choice.',
    );
    expect(out.match(/is not one of the choices/g)).toHaveLength(1);
    expect(out).toContain(
      'Thank you. Your priorities for "What matters most?": 1. Sleep, 2. Pain. You can change them until the poll closes.',
    );
  });

  it('says a repeated problem once, not once per place', async () => {
    const out = await session(['/copro setup', RANKED, '/click 1', 'Pain', 'Pain', 'Pain', '/cancel']);
    const said = out.match(/You already chose "Pain" higher up/g) ?? [];
    expect(said).toHaveLength(1);
    expect(out).toContain('Form closed. Nothing was saved.');
  });

  it('does not take /click or /copro as answers, and lets /quit leave the form and the chat', async () => {
    const out = await session(['/copro setup', RANKED, '/click 1', '/click 1', '/quit', '/copro help']);
    expect(out).toContain(
      'You are in the middle of the form "Rank the options". Answer the question above, type /skip to leave it empty, or /cancel to close the form.',
    );
    expect(out).toContain('Form closed. Nothing was saved.');
    // Nothing after /quit runs, and no vote was recorded.
    expect(out).not.toContain('What copro can do');
    expect(out).not.toContain('Thank you');
  });
});

describe('forms in the terminal', () => {
  it('show the current answer, and /skip keeps it as a Slack or Discord form would', async () => {
    const out = await session([
      '/copro setup --name "Kidney Voices" --timezone Europe/London',
      '/copro group settings',
      '/skip',
      'Europe/Paris',
      '/copro group settings',
      '/skip',
      '/skip',
    ]);
    expect(out).toContain('Now: Kidney Voices. Type /skip to keep it.');
    const after = out.slice(out.lastIndexOf('Now: Kidney Voices'));
    expect(after).toContain('Now: Europe/Paris.');
    expect(out).not.toContain('Some answers need another look');
  });

  it('after a wrong timezone asks only for the timezone again, keeping the name typed', async () => {
    const out = await session([
      '/copro setup --name "Kidney Voices" --timezone Europe/London',
      '/copro group settings',
      'Kidney Voices Panel',
      'Narnia/Lantern',
      'Europe/Paris',
    ]);
    const again = out.slice(out.indexOf('Some answers need another look'));
    expect(again).not.toContain('Name of the group');
    expect(again).toContain('Timezone (a place name)');
    expect(again).toContain(
      'Saved. The group is called Kidney Voices Panel, and its times are shown for Europe/Paris.',
    );
  });
});

describe('forms asked again in the terminal', () => {
  it('let /skip keep what an answer was before it was changed to one with a problem', async () => {
    const out = await session([
      '/copro setup --name "Kidney Voices" --timezone Europe/London',
      '/copro group settings',
      '/skip',
      'Narnia/Lantern',
      '/skip',
    ]);
    const again = out.slice(out.indexOf('Some answers need another look'));
    expect(again).toContain('Before: Europe/London. Type /skip to keep that.');
    expect(again).toContain('Nothing changed: the name and timezone were already those.');
  });
});

describe('questions with choices in the terminal', () => {
  it('take a choice by the first words of its label, as "yes" or "no"', async () => {
    const { readChoices } = await import('../../adapters/console/choices.js');
    const roles = {
      kind: 'select' as const,
      id: 'choose',
      label: 'May newcomers choose a role themselves?',
      required: true,
      options: [
        { label: 'No: coordinators give roles', value: 'no' },
        { label: 'Yes: they may choose one', value: 'yes' },
      ],
    };
    expect(readChoices(roles, 'yes')).toEqual({ ok: true, values: ['yes'] });
    expect(readChoices(roles, 'No')).toEqual({ ok: true, values: ['no'] });
    const tick = {
      kind: 'checkboxes' as const,
      id: 'named',
      label: 'Show coordinators your name with your needs?',
      required: false,
      options: [{ label: 'Yes', value: 'named' }],
    };
    expect(readChoices(tick, 'no')).toEqual({ ok: true, values: [] });
    expect(readChoices(tick, 'yes')).toEqual({ ok: true, values: ['named'] });
    const refused = readChoices(tick, 'maybe');
    expect(refused).toMatchObject({
      ok: false,
      problem: expect.stringContaining('To leave it empty, type /skip.'),
    });
  });
});

describe('forms opened by a command in the terminal', () => {
  it('print after the answer that says the form is open, so the question comes last', async () => {
    const out = await session(['/copro setup', '/copro group settings']);
    const answer = out.indexOf('The group settings form is open.');
    expect(answer).toBeGreaterThan(0);
    expect(out.indexOf('== Group settings ==')).toBeGreaterThan(answer);
    expect(out.trimEnd().endsWith('Now: #general. Type /skip to keep it.')).toBe(true);
  });
});

describe('a ranked vote in the terminal', () => {
  it('after places left out of order, says how to leave one empty, and takes the vote', async () => {
    const out = await session(['/copro setup', RANKED, '/click 1', '3', '/skip', '1', '/skip']);
    const again = out.slice(out.indexOf('Some answers need another look'));
    expect(again).toContain('Please fill the places in order');
    expect(again).toContain('Answer again below, or type /cancel to close the form without saving.');
    expect(again).toContain('Type /skip to leave it empty.');
    expect(again).toContain('Thank you');
  });

  it('ranking again, /skip on a place asked again after a problem empties it instead of keeping the problem', async () => {
    const out = await session([
      '/copro setup',
      RANKED,
      '/click 1',
      '1',
      '2',
      '3',
      '/click 1',
      '2',
      '/skip',
      '/skip',
      '/skip',
      '/skip',
    ]);
    const again = out.slice(out.indexOf('Some answers need another look'));
    expect(again).toContain('You already chose "Sleep" higher up.');
    expect(again).not.toContain('Type /skip to keep it');
    expect(again).toContain('Thank you. Your priorities for "What matters most?": 1. Sleep.');
  });
});

describe('the welcome in the terminal, across a restart', () => {
  it('says plainly that a form open at a restart was lost, and how to start it again', async () => {
    await session(['/copro setup', '/as Sam', '/copro join', '/click 1', '/click 1']);
    const later = await session(['/as Sam', 'Sammy', '/click 1']);
    expect(later).toContain(
      'If you were filling in a form when copro restarted, that form was lost and nothing in it was saved. Open it again the way you did before (for your welcome, type /copro join).',
    );
    expect(later).toContain('To carry on your welcome, type /copro join');
  });

  it('answers a stray line after a command without talk of a lost form', async () => {
    const out = await session(['/copro help', 'hello?']);
    expect(out).toContain('copro only understands commands here. Type /copro help to see them.');
    expect(out).not.toContain('that form was lost');
  });

  it('says how to use /click and /as when typed without a number or a name, and that no form is open on /skip or /cancel', async () => {
    const out = await session(['/copro help', '/click', '/click one', '/as', '/skip', '/cancel']);
    expect(
      out.match(/To press a button, type \/click and its number, for example \/click 1\./g),
    ).toHaveLength(2);
    expect(out).toContain('To speak as someone else, type /as and their name, for example /as Sam.');
    expect(out).toContain('No form is open, so there is nothing to skip.');
    expect(out).toContain('No form is open, so there is nothing to cancel.');
    expect(out).not.toContain('copro only understands commands here');
  });

  it('after a private role is chosen in the welcome, /click 1 answers the next step and does not show the role', async () => {
    const welcome = ['/click 1', '/click 1', ...Array(4).fill('/click 1'), '/click 2', '/click 2'];
    const out = await session([
      '/copro setup',
      '/copro onboarding edit',
      ...Array(5).fill('/skip'),
      '2',
      '/as Sam',
      '/copro join',
      ...welcome,
      '/click 1', // expert by experience
      '/click 1', // yes please, say hello
    ]);
    // The note about the private role comes after the next step, and its button carries on the numbering.
    expect(out).toContain('[4] Show the group I am an expert by experience');
    expect(out).toContain('Please welcome Sam');
    expect(out).not.toContain('can now see that you are an expert by experience');
  });

  it('after Not now, /click 1 presses nothing, and carrying on mid-checklist says what the checklist is', async () => {
    const out = await session([
      '/copro setup',
      '/as Sam',
      '/copro join',
      '/click 1',
      '/click 1',
      '/click 1',
      '/click 2',
      '/click 1',
      '/copro join',
    ]);
    const paused = out.slice(out.indexOf('No problem. Your answers so far are kept'));
    expect(paused).toContain('There is nothing to click: the last message has no choices');
    expect(paused).not.toContain('About #general');
    const resumed = paused.slice(paused.indexOf('Welcome back.'));
    expect(resumed).toContain('== Expectations (step 3 of 6) ==\n  2 of 4:');
    expect(resumed).toContain('2 of 4:');
  });
});

describe('files in the terminal', () => {
  it('saves a file copro sends beside the data, readable only by its owner, and prints where', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => {
      printed += d;
    });
    const terminal = createConsolePlatform({ input, output, interactive: false, filesDir: FILES_DIR });
    await terminal.start(async (event) => {
      if (event.kind === 'command') {
        await event.reply({
          text: 'Here is the report.',
          files: [
            { name: '../report 2026.csv', mimeType: 'text/csv', content: 'hours,type\r\n2,review\r\n' },
          ],
        });
      }
      return undefined;
    });
    input.end('/copro report\n');
    await terminal.finished;
    const path = /File saved: (.+)/.exec(printed)?.[1];
    expect(path?.startsWith(FILES_DIR)).toBe(true);
    expect(path).toMatch(/report-2026\.csv$/);
    expect(readFileSync(path!, 'utf8')).toBe('hours,type\r\n2,review\r\n');
    expect(statSync(path!).mode & 0o777).toBe(0o600);
  });
});

describe('forms in the terminal', () => {
  it('answers a too-long answer at once with that question’s own limit, and asks it again', async () => {
    const out = await session([
      '/copro setup',
      '/as Sam',
      '/copro join',
      '/click 1', // Start
      '/click 1', // I have read this
      '/click 1',
      '/click 1',
      '/click 1',
      '/click 1', // the fourth expectation
      '/click 1', // Fill in my profile
      'Sam',
      '',
      'Europe/London',
      '',
      '',
      'a'.repeat(10_000),
      'walking, writing',
      '',
      '/copro profile',
    ]);
    expect(out).toContain('Please keep this to 300 characters or fewer (it has 10,000).');
    expect(out).not.toContain('4,000');
    expect(out).toContain('Interests: walking, writing');
  });
});
