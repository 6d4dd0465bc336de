import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../src/config.js';
import { runConsole, runNpmStart } from '../support/console-process.js';
import { openTestDb, type TestDb } from '../support/db.js';

// The terminal chat runs as a real process, on the embedded database by default, or on the
// server database when TEST_DATABASE_URL is set.
let store: Record<string, string>;
let server: TestDb | undefined;
const dir = mkdtempSync(join(tmpdir(), 'copro-console-'));

beforeAll(async () => {
  if (testDatabaseUrl()) {
    server = await openTestDb();
    store = { DATABASE_URL: server.location };
  } else {
    store = { COPRO_DATA_DIR: join(dir, 'data') };
  }
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the terminal chat', () => {
  it('prints the help and exits cleanly when the input ends', async () => {
    const run = await runConsole(['/copro help'], store);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What copro can do');
    expect(run.stdout).toContain('/copro role add @person ROLE: Give someone a role (coordinators)');
  });

  it('prints the help the same way through npm start itself, which runs the compiled code', async () => {
    const run = await runNpmStart(['/copro help'], store);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What copro can do');
  });

  it('sets up a group, gives a role, and still knows it after a restart', async () => {
    const first = await runConsole(
      ['/copro setup', '/copro role add @sam researcher', '/as Sam', '/copro role add @bo carer', '/quit'],
      store,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('@alex is the coordinator.');
    expect(first.stdout).toContain('Done: @sam is now a researcher.');
    expect(first.stdout).toContain('You are now Sam.');
    expect(first.stdout).toContain(
      'Only coordinators can use /copro role add. Ask @alex, who coordinates this group.',
    );

    const second = await runConsole(['/copro roles'], store);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/researcher: Plans and carries out the research[^\n]*\n\s*Held by: @sam/);
    expect(second.stdout).toMatch(/carer: [^\n]*\n\s*Held by: nobody yet/);
  });

  it('answers a typing slip with the usage line, not an error', async () => {
    const run = await runConsole(['/copro role add sam', 'hello there'], store);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: /copro role add @person ROLE');
    expect(run.stdout).toContain('copro only understands commands here');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the variable when the configuration is wrong, and does not start', async () => {
    const run = await runConsole([], { ...store, DISCORD_TOKEN: 'abc' });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('DISCORD_APPLICATION_ID is needed with DISCORD_TOKEN');
    const port = await runConsole([], { ...store, PORT: 'abc' });
    expect(port.code).toBe(78);
    expect(port.stderr).toContain('  - PORT must be a port number, like 3000');
  });

  it('says plainly, with no stack trace, when the database cannot be reached', async () => {
    const run = await runConsole([], { DATABASE_URL: 'postgres://copro:hunter2@127.0.0.1:1/copro' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'copro could not reach the database at 127.0.0.1:1 (connection refused). Check DATABASE_URL.\n',
    );
  });
});
