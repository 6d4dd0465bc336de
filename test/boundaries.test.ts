import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const imports = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1] as string,
  );

describe('the core stays platform-free', () => {
  const core = sourceFiles('src');

  it('has source files to check', () => {
    expect(core.length).toBeGreaterThan(10);
  });

  it('imports no Slack or Discord SDK anywhere under src/', () => {
    const offenders = core.filter((f) =>
      imports(f).some(
        (i) => i.startsWith('@slack/') || i.startsWith('discord.js') || i.startsWith('@discordjs/'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in src/config.ts', () => {
    const offenders = core.filter(
      (f) => f !== 'src/config.ts' && /process\.env/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('imports adapters/ only from the composition root, src/main.ts', () => {
    const offenders = core.filter(
      (f) => f !== 'src/main.ts' && imports(f).some((i) => i.includes('adapters/')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the database layer free of features and platforms', () => {
    const offenders = sourceFiles('db').filter((f) =>
      imports(f).some((i) => /adapters\/|@slack\/|discord\.js/.test(i)),
    );
    expect(offenders).toEqual([]);
  });
});
