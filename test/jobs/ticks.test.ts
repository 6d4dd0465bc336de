import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { recordingPlatform } from './support.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
afterEach(() => {
  vi.restoreAllMocks();
});

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger(level, stream) };
}

/** Keep the process busy, as a loaded machine does, so the once-a-second tick falls behind. */
function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

/** Until `seen()`, or a generous deadline: a passing wait ends as soon as the line is logged. */
async function waitFor(seen: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!seen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the once-a-second outbox tick on a busy machine', () => {
  it('writes nothing into the terminal chat when it falls behind, and logs that at debug level only', async () => {
    const printed = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'), vi.spyOn(console, 'info')];
    const { lines, logger } = capture('debug');
    const dispatcher = createDispatcher({
      db: db.db,
      clock: systemClock,
      logger,
      platforms: { slack: recordingPlatform(systemClock) },
    });
    const missed = () => lines.filter((l) => String(l.msg).includes('missed execution'));
    dispatcher.start();
    try {
      // The first tick is due within a second; node-cron calls it missed once it is a second late.
      blockFor(2100);
      await waitFor(() => missed().length > 0);
    } finally {
      await dispatcher.stop();
    }
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(missed().length).toBeGreaterThan(0);
    expect(missed().every((l) => l.level === 20 && l.component === 'node-cron')).toBe(true);
    // So the terminal chat, which logs from warn (level 40) up, shows none of it.
    expect(lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });
});
