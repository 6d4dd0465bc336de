import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const startScript: string = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.start;
const startLine = /(?:^|&& )((?:[A-Z_]+=\S+ )*)node ((?:--[\w-]+(?:=\S+)? )*)dist\/src\/main\.js/.exec(
  startScript,
);
const words = (text: string | undefined) => text?.trim().split(' ').filter(Boolean) ?? [];

/**
 * The Node flags `npm start` runs copro with, read from package.json, so that a test or a bench
 * runs the program the way a host does.
 */
export const startFlags: readonly string[] = words(startLine?.[2]);

/** The environment `npm start` sets for Node (the C library's memory settings), read the same way. */
export const startEnv: Readonly<Record<string, string>> = Object.fromEntries(
  words(startLine?.[1]).map((pair) => pair.split('=', 2) as [string, string]),
);

/** Bring dist/ up to date with the sources, as `npm start` does first; throws if it cannot. */
export function buildCompiled(): void {
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
}
