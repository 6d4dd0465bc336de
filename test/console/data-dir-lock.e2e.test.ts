import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runConsole } from '../support/console-process.js';

/**
 * Two `npm start` on one data directory would both open the same embedded database files. The
 * second must refuse plainly and leave the first running; a claim left by a process that has
 * gone is taken over.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copro-lock-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('one data directory, one copro', () => {
  it('refuses a second copro on the same data directory, naming the first one’s process, and leaves the first running', async () => {
    const dir = dataDir();
    const first = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COPRO_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let firstOut = '';
    first.stdout.on('data', (d) => {
      firstOut += d;
    });
    const firstEnded = new Promise<number | null>((resolve) => first.on('close', resolve));
    first.stdin.write('/copro help\n');
    // Once the first answers, it holds the directory.
    for (let i = 0; i < 1800 && !firstOut.includes('What copro can do'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(firstOut).toContain('What copro can do');

    const second = await runConsole(['/copro help'], { COPRO_DATA_DIR: dir });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(
      `copro is already running with the data in ${dir} (process ${first.pid})`,
    );
    expect(second.stdout).not.toContain('What copro can do');

    first.stdin.write('/copro help roles\n');
    first.stdin.end();
    expect(await firstEnded).toBe(0);
  });

  it('takes over a claim left by a process that is no longer running', async () => {
    const dir = dataDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dir, 'copro.pid'), gone.stdout.toString());
    const run = await runConsole(['/copro help'], { COPRO_DATA_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What copro can do');
  });
});
