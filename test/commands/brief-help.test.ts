import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { coreWith } from '../onboarding/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const sam = person('Sam');
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  core = coreWith(db, clock);
});

const lines = (text: string) => text.split('\n');

describe('/copro with nothing after it', () => {
  it('greets a member with the few commands they most need, one line each, and points to the full list', async () => {
    await core.say(ann, 'setup --name "Leaflet group"');
    const { text } = await core.say(sam, '');
    expect(lines(text)[0]).toBe('Hello, I am copro, the group’s helper. The commands you will use most:');
    expect(text).toContain('- /copro join: start your welcome to the group, or carry on with it');
    expect(text).toContain('- /copro profile: see or change your answers');
    expect(text).toContain('Type /copro help to see every command');
    expect(lines(text).length).toBeLessThanOrEqual(9);
    expect(text).not.toContain('coordinate');
    expect(text).not.toContain('match run');
  });

  it('tells a coordinator, in one more line, that the full list has their commands', async () => {
    await core.say(ann, 'setup --name "Leaflet group"');
    const { text } = await core.say(ann, '');
    expect(lines(text).at(-1)).toBe(
      'You run this group: /copro help also lists your commands, marked "coordinators".',
    );
    expect(lines(text).length).toBeLessThanOrEqual(9);
  });

  it('says how to start a group where there is none, and stores nothing about who asked', async () => {
    const { text } = await core.say(sam, '   ');
    expect(text).toContain('There is no group in this channel yet. To start one here, type /copro setup.');
    expect(await db.db.select().from(schema.members)).toHaveLength(0);
  });

  it('leaves /copro help as the full list', async () => {
    const { text } = await core.say(sam, 'help');
    expect(text).toContain('What copro can do');
    expect(lines(text).length).toBeGreaterThan(40);
  });
});
