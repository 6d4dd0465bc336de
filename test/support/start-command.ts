import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Node flags `npm start` runs copro with, read from package.json, so that a test or a bench
 * runs the program the way a host does.
 */
export const startFlags: readonly string[] =
  /(?:^|&& )node ((?:--[\w-]+(?:=\S+)? )*)dist\/src\/main\.js/
    .exec(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.start)?.[1]
    ?.trim()
    .split(' ')
    .filter(Boolean) ?? [];

/** Bring dist/ up to date with the sources, as `npm start` does first; throws if it cannot. */
export function buildCompiled(): void {
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
}
