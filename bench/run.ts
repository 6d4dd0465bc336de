/** Runs every benchmark in bench/ (except this file), one after another; each prints one JSON line. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .sort();

let failed = 0;
for (const file of benches) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) {
    failed++;
    process.stderr.write(`bench/${file} failed (exit ${code})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
