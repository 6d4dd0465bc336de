import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('shutting down', () => {
  it('on SIGTERM, destroys the Discord client and leaves nothing open: the process ends by itself', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/discord/fixtures/stop-on-sigterm.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('ready\n')) resolve();
      });
      child.on('close', () => reject(new Error(`the child ended before it was ready:\n${stderr}`)));
    });

    child.kill('SIGTERM');
    // Generous, for a busy machine: a process that hangs is still caught, just later.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await exited;
    clearTimeout(deadline);

    expect(stderr).toBe('');
    expect(stdout).toContain('client destroyed; open gateway sessions: 0');
    expect(stdout).toContain('stopped');
    // Killed by the deadline would be code null: it ended by itself, with success.
    expect(code).toBe(0);
  });
});
