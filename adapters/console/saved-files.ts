import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileAttachment } from '../../src/chat/index.js';

/**
 * A terminal has nowhere to attach a file: each is written into `dir`, and the returned path is
 * shown instead. Names are made safe and numbered so two files of one name both survive.
 */
export function createFileSaver(dir: string): (file: FileAttachment) => string {
  let count = 0;
  return (file) => {
    mkdirSync(dir, { recursive: true });
    count += 1;
    const safe = file.name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'file';
    const path = resolve(join(dir, `${Date.now()}-${count}-${safe}`));
    writeFileSync(path, file.content, { encoding: 'utf8', mode: 0o600 });
    return path;
  };
}
