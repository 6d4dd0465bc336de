import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { coreWith } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-11-23T10:00:00Z');
  core = coreWith(db, clock);
  await core.say(ann, 'setup --name "Leaflet group"');
});

const reminders = async () => (await core.dms('sam')).filter((m) => m.text.includes('gentle reminder'));

describe('the gentle reminder', () => {
  it('comes once, three days after the last progress, with the step to carry on from', async () => {
    await core.joined(sam);
    clock.advance(3 * DAY - 60_000);
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(0);
    clock.advance(2 * 60_000);
    await core.scheduler.runDue();
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('your welcome is waiting at step 1 of 7');
    expect(sent[0]?.text).toContain('this is the only reminder');
    clock.advance(10 * DAY);
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(1);
  });

  it('counts from the member’s latest step, not from when they joined', async () => {
    await core.joined(sam);
    clock.advance(2 * DAY);
    const [welcome] = await core.dms('sam');
    await core.press(sam, welcome, 'Start');
    clock.advance(1 * DAY + HOUR);
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(0);
    clock.advance(2 * DAY);
    await core.scheduler.runDue();
    expect((await reminders())[0]?.text).toContain('step 2 of 7');
  });

  it('never comes for someone who chose Not now', async () => {
    await core.joined(sam);
    const [welcome] = await core.dms('sam');
    await core.press(sam, welcome, 'Not now');
    clock.advance(30 * DAY);
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(0);
  });

  it('comes once across a restart, when copro was not running at the time', async () => {
    await core.joined(sam);
    clock.advance(3 * DAY + 6 * HOUR); // copro was down when the reminder fell due
    core = coreWith(db, clock); // a fresh process on the same database
    await core.scheduler.catchUp();
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(1);
    core = coreWith(db, clock);
    await core.scheduler.catchUp();
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(1);
  });

  it('is dropped when copro comes back more than four days after it was due', async () => {
    await core.joined(sam);
    clock.advance(8 * DAY);
    core = coreWith(db, clock);
    await core.scheduler.catchUp();
    await core.scheduler.runDue();
    expect(await reminders()).toHaveLength(0);
  });
});
