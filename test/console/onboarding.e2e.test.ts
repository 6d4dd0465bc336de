import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../src/config.js';
import { runConsole } from '../support/console-process.js';
import { openTestDb, type TestDb } from '../support/db.js';

// A newcomer's whole welcome in the terminal chat, typed line by line as a person would.
let store: Record<string, string>;
let server: TestDb | undefined;
const dir = mkdtempSync(join(tmpdir(), 'copro-onboarding-'));

beforeAll(async () => {
  const key = { COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  if (testDatabaseUrl()) {
    server = await openTestDb();
    store = { ...key, DATABASE_URL: server.location };
  } else {
    store = { ...key, COPRO_DATA_DIR: join(dir, 'data') };
  }
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('onboarding in the terminal chat', () => {
  it('walks a newcomer through every step by typing, stops with Not now, and carries on after a restart', async () => {
    const first = await runConsole(
      [
        '/copro setup --name "Leaflet group"',
        '/as Sam',
        '/copro join',
        '/click 1', // Start
        '/click 1', // I have read this
        '/click 1', // expectation 1
        '/click 2', // Not now
        '/quit',
      ],
      store,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('copro, in a direct message to @sam:');
    expect(first.stdout).toContain('Welcome to Leaflet group');
    expect(first.stdout).toContain('1 of 4:');
    expect(first.stdout).toContain('Your answers so far are kept');

    const second = await runConsole(
      [
        '/as Sam',
        '/copro join',
        '/click 1', // expectation 2
        '/click 1',
        '/click 1', // expectation 4
        '/click 1', // Fill in my profile
        'Sam', // name
        '', // pronouns
        'Europe/London',
        '1', // a direct message here
        '2', // once a week
        'gardening, leaflets',
        'asthma', // lived experience
        '/click 1', // Yes, I agree
        '1 4', // papers a week ahead, captions
        '', // anything else
        '', // name not shown to coordinators
        '/click 1', // a buddy: yes please
        '/click 2', // hello in the channel: no thanks
        '/copro profile',
        '/quit',
      ],
      store,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('where you left off: step 3 of 7');
    expect(second.stdout).toContain('Thank you, Sam!');
    expect(second.stdout).toContain('Access needs: papers a week ahead; captions');
    expect(second.stdout).toContain('Lived experience: asthma');
    expect(second.stdout).toContain('Interests: gardening, leaflets');
  });
});
