import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsolePlatform } from '../../adapters/console/index.js';
import { createApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { PAYMENT_COLUMNS } from '../../src/involvement/csv.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * A month of a group's involvement in the terminal chat, on a fixed clock: the real console
 * adapter and core on a real database, fed lines as people typing them would.
 */
let db: TestDb;
const FILES_DIR = mkdtempSync(join(tmpdir(), 'copro-involvement-month-'));
const clock = fixedClock('2026-11-02T10:00:00Z'); // a Monday
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
  rmSync(FILES_DIR, { recursive: true, force: true });
});

async function session(lines: readonly string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => {
    printed += d;
  });
  const platforms: AppDeps['platforms'] = {};
  const dispatcher = createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms });
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger: silentLogger(),
    platforms,
    outbox: { flush: () => dispatcher.dispatchDue() },
  };
  const app = createApp(deps);
  const terminal = createConsolePlatform({ input, output, interactive: false, filesDir: FILES_DIR });
  platforms.console = terminal;
  await terminal.start(app.handle);
  input.end(lines.map((l) => `${l}\n`).join(''));
  await terminal.finished;
  await dispatcher.dispatchDue();
  return printed;
}

const DAY = 86_400_000;

describe('a month of involvement in the terminal', () => {
  it('ends with a report and a payments file a finance officer can use as it is', async () => {
    await session([
      '/copro setup --name "Leaflet group"',
      '/copro payments rate meeting £25',
      '/copro payments rate review £20',
      '/as Sam',
      '/copro log 2h "Reviewed the patient leaflet" --type review',
      '/as Cat',
      '/copro my-involvement pay none',
      '/copro log 1h "Read the papers" --type preparation',
      '/as Dev',
      '/copro feedback "Papers arrive too late to read"',
    ]);
    clock.advance(7 * DAY);
    const meeting = await session([
      '/copro log 2h "Steering meeting" --type meeting --for @sam',
      '/copro log 2h "Steering meeting" --type meeting --for @cat',
      '/copro log 2h "Steering meeting" --type meeting --for @dev',
      '/as Dev',
      '/copro log expense £12.50 "Train to the meeting" --kind travel --receipt "ticket photo emailed to Alex"',
    ]);
    expect(meeting).toContain('copro, in a direct message to @cat:');
    clock.advance(10 * DAY);
    const approving = await session(['/copro payments', '/copro payments approve all']);
    expect(approving).toContain('4 payments waiting, £152.50 in all. The oldest has waited 17 days.');
    expect(approving).not.toContain('@cat:');
    clock.advance(5 * DAY);
    const paying = await session([
      '/copro payments paid all',
      '/copro feedback close F1 "Papers now go out a week before each meeting"',
      '/copro payments',
    ]);
    expect(paying).toContain('4 payments marked paid');
    expect(paying).toContain(
      'copro, in a direct message to @dev:\n  You said: “Papers arrive too late to read”',
    );
    expect(paying).toContain('Nothing is waiting to be paid.');

    const report = await session(['/copro report --from 2026-11-01 --to 2026-11-30 --csv']);
    expect(report).toContain('Time: 9h from 3 people.');
    expect(report).toContain('By type: meeting 6h, document review 2h, preparation 1h.');
    expect(report).toContain(
      'Payments: nothing still to pay. £152.50 paid (4 payments), on average 16.8 days after they were recorded.',
    );
    expect(report).toContain('2 records where the member declined payment.');
    expect(report).toContain('Expenses: 1 claim, £12.50 (travel £12.50).');
    expect(report).toContain(
      '- F1 “Papers arrive too late to read”: we did: “Papers now go out a week before each meeting”',
    );
    const saved = [...report.matchAll(/File saved: (\S+)/g)].map((m) => m[1] ?? '');
    expect(saved).toHaveLength(3);
    const payments: string[][] = parse(readFileSync(saved[0]!, 'utf8'), { bom: true });
    expect(payments[0]).toEqual([...PAYMENT_COLUMNS]);
    expect(payments.slice(1).map((r) => [r[1], r[4], r[5], r[9], r[12], r[15], r[16]])).toEqual([
      ['Sam', 'Time', 'document review', '40.00', 'Paid', '2026-11-24', '22'],
      ['Sam', 'Time', 'meeting', '50.00', 'Paid', '2026-11-24', '15'],
      ['Dev', 'Time', 'meeting', '50.00', 'Paid', '2026-11-24', '15'],
      ['Dev', 'Expense', 'travel', '12.50', 'Paid', '2026-11-24', '15'],
    ]);
  });
});
