import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConsoleRun, runConsole, runProgram } from '../support/console-process.js';

/** `npm run rotate-key`'s program, with only the settings given. */
function rotateKey(env: Record<string, string>): Promise<ConsoleRun> {
  return runProgram('src/privacy/rotate-key.ts', [], env);
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
