import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimEmbeddedData } from '../../db/lock.js';

const root = mkdtempSync(join(tmpdir(), 'copro-data-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (dir: string) => statSync(dir).mode & 0o777;

describe('the embedded database’s data folder', () => {
  it('is made open to its owner only, since the database files inside are open to everyone', () => {
    const dir = join(root, 'new', '.copro');
    const claim = claimEmbeddedData({ dataDir: dir });
    expect(modeOf(dir)).toBe(0o700);
    if ('release' in claim) claim.release();
  });

  it('is closed up when an earlier copro made it open to others', () => {
    const dir = join(root, 'older');
    mkdirSync(dir, { mode: 0o755 });
    const claim = claimEmbeddedData({ dataDir: dir });
    expect(modeOf(dir)).toBe(0o700);
    if ('release' in claim) claim.release();
  });
});
