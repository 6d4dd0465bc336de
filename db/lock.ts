import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'copro.pid';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`copro is already running with the data in ${dataDir} (process ${pid}).`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * Claim the embedded database's directory for this process. PGlite serves one process: a second
 * one on the same files corrupts them. The claim is a file holding our process id; one left by a
 * process that no longer runs (it crashed, or the machine restarted) is taken over.
 *
 * Returns the release function (call it once the database is closed).
 */
export function lockDataDir(dir: string, shownAs = dir, pid = process.pid): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileOrEmpty(path), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isRunning(holder)) {
      throw new DataDirInUseError(shownAs, holder);
    }
    // A stale claim: take it over (the next attempt creates it afresh).
    try {
      unlinkSync(path);
    } catch {
      // Someone else removed it first; try again.
    }
  }
  throw new Error(`could not claim the data directory ${shownAs}`);
}

/**
 * Claims the embedded database's directory when copro keeps its data there (not on a server, not
 * in memory). Returns the release, or, when another program holds it, the message to print.
 */
export function claimEmbeddedData(config: {
  readonly databaseUrl?: string;
  readonly dataDir: string;
}): { readonly release: () => void } | { readonly inUse: string } {
  if (config.databaseUrl || config.dataDir.startsWith('memory://')) return { release: () => {} };
  keepPrivate(config.dataDir);
  try {
    return { release: lockDataDir(config.dataDir) };
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    return { inUse: error.message };
  }
}

function readFileOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The data folder is made readable and writable by its owner only. PGlite writes the database's
 * files readable and writable by everyone (whatever the umask), so on a shared machine anyone
 * could otherwise read the members' names and answers, or change votes and roles, in the files.
 * A folder made before this is closed up too, when it is ours to change.
 */
export function keepPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
