import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ConsoleRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Run `npm start`'s program with lines piped into stdin, as a script or a test would. */
export function runConsole(lines: readonly string[], env: Record<string, string>): Promise<ConsoleRun> {
  return runProgram('src/main.ts', lines, env);
}

/** Run one of copro's programs (a file under src/) to its end, with lines piped into stdin. */
export function runProgram(
  file: string,
  lines: readonly string[],
  env: Record<string, string>,
): Promise<ConsoleRun> {
  return run(process.execPath, ['--import', 'tsx', file], lines, env);
}

/** `npm start` itself, as README has people run it: it compiles what changed, then runs copro. */
export function runNpmStart(lines: readonly string[], env: Record<string, string>): Promise<ConsoleRun> {
  return run('npm', ['start', '--silent'], lines, env);
}

function run(
  command: string,
  args: readonly string[],
  lines: readonly string[],
  env: Record<string, string>,
): Promise<ConsoleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      // Only what the test hands in: no platform tokens leak in from the developer's shell.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
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
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}
