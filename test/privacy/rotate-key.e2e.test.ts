import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConsoleRun, runConsole } from '../support/console-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run rotate-key`'s program, with only the settings given. */
function rotateKey(env: Record<string, string>): Promise<ConsoleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/privacy/rotate-key.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('npm run rotate-key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-rotate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const old = randomBytes(32).toString('base64');
  const fresh = randomBytes(32).toString('base64');

  it('re-encrypts what copro stored under the old key, says how many, and a second run finds nothing to do', async () => {
    const started = await runConsole(['/copro setup'], { COPRO_DATA_DIR: dir, COPRO_ENCRYPTION_KEY: old });
    expect(started.code).toBe(0);
    const env = { COPRO_DATA_DIR: dir, COPRO_ENCRYPTION_KEY: fresh, COPRO_PREVIOUS_ENCRYPTION_KEY: old };
    const first = await rotateKey(env);
    expect(first.stdout).toContain('Done: 1 value re-encrypted with the new key; 0 already under it.');
    expect(first.stdout).toContain('Every encrypted value is now under the new key.');
    expect(first.code).toBe(0);
    const again = await rotateKey(env);
    expect(again.stdout).toContain('Done: 0 values re-encrypted with the new key; 1 already under it.');
    expect(again.code).toBe(0);
  });

  it('says plainly what is missing, and what it cannot open', async () => {
    const none = await rotateKey({ COPRO_DATA_DIR: dir });
    expect(none.stderr).toContain('Set COPRO_ENCRYPTION_KEY to the new key');
    expect(none.code).toBe(78);
    const wrong = await rotateKey({
      COPRO_DATA_DIR: dir,
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      COPRO_PREVIOUS_ENCRYPTION_KEY: old,
    });
    expect(wrong.stdout).toContain('1 value could not be opened with either key');
    expect(wrong.code).toBe(1);
  });
});
