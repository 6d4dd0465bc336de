import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, EventHandler, Form } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person, submitted, typed } from '../support/events.js';

let db: TestDb;
let handle: EventHandler;
const ann = person('Ann');
const sam = person('Sam');

beforeAll(async () => {
  db = await openTestDb();
  handle = createApp({
    db: db.db,
    clock: fixedClock('2026-11-21T10:00:00Z'),
    logger: silentLogger(),
    platforms: {},
  }).handle;
});
afterAll(async () => db.close());
beforeEach(async () => db.reset());

async function say(actor: Actor, text: string, channel = 'general') {
  const { event, said, forms } = typed(actor, text, channel);
  await handle(event);
  return { text: said.map((s) => s.message.text).join('\n'), forms };
}

async function submit(actor: Actor, form: Form, values: Record<string, string>) {
  const { event, said } = submitted(actor, form.id, values, form.state);
  const outcome = await handle(event);
  return { errors: outcome?.formErrors, text: said.map((s) => s.message.text).join('\n') };
}

const group = async () => (await db.db.select().from(schema.groups))[0];

describe('setting a group up', () => {
  it('spells a timezone typed in lower case properly', async () => {
    await say(ann, 'setup --timezone europe/london');
    expect((await group())?.timezone).toBe('Europe/London');
  });

  it('refuses a fixed-offset abbreviation such as EST, suggesting a place, and creates no group', async () => {
    const { text } = await say(ann, 'setup --timezone EST');
    expect(text).toBe(
      '"EST" is a fixed offset with no summer time. Please use a place name instead, such as America/New_York.',
    );
    expect(await group()).toBeUndefined();
  });

  it('answers a city typed on its own with the timezone to type, and a made-up place as before', async () => {
    expect((await say(ann, 'setup --timezone London')).text).toBe(
      '"London" needs its region too: please type Europe/London.',
    );
    expect((await say(ann, 'setup --timezone "new york"')).text).toBe(
      '"new york" needs its region too: please type America/New_York.',
    );
    expect((await say(ann, 'setup --timezone Narnia')).text).toBe(
      '"Narnia" is not a timezone copro knows. Please use a place name, such as Europe/London or America/New_York.',
    );
    expect(await group()).toBeUndefined();
  });

  it('answers an empty --name plainly instead of ignoring it', async () => {
    const { text } = await say(ann, 'setup --name ""');
    expect(text).toMatch(/^--name needs a value: a name for the group\./);
    expect(await group()).toBeUndefined();
  });

  it('says how to change the name or timezone when setup is run again', async () => {
    await say(ann, 'setup');
    const { text } = await say(ann, 'setup --timezone Europe/Paris');
    expect(text).toContain('setup changed nothing');
    expect(text).toContain('To change its name or timezone, a coordinator can type /copro group settings.');
  });
});

describe('/copro group settings', () => {
  it('opens a form with the name and timezone as they are, and saves the changes', async () => {
    await say(ann, 'setup --name "Leaflet group"');
    const { forms } = await say(ann, 'group settings');
    const [form] = forms;
    expect(form?.fields.map((f) => [f.id, 'initial' in f ? f.initial : undefined])).toEqual([
      ['name', 'Leaflet group'],
      ['timezone', 'Europe/London'],
    ]);
    const saved = await submit(ann, form!, { name: 'Patient panel', timezone: 'europe/paris' });
    expect(saved.errors).toBeUndefined();
    expect(saved.text).toBe(
      'Saved. The group is called Patient panel, and its times are shown for Europe/Paris.',
    );
    expect(await group()).toMatchObject({ name: 'Patient panel', timezone: 'Europe/Paris' });
    const [entry] = await db.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, 'group.settings'));
    expect(entry?.details).toEqual({
      from: { name: 'Leaflet group', timezone: 'Europe/London' },
      to: { name: 'Patient panel', timezone: 'Europe/Paris' },
    });
  });

  it('says what is wrong with each answer, and changes nothing', async () => {
    await say(ann, 'setup --name "Leaflet group"');
    const [form] = (await say(ann, 'group settings')).forms;
    const refused = await submit(ann, form!, { name: '  ', timezone: 'PST' });
    expect(refused.errors).toEqual({
      name: 'Please give the group a name.',
      timezone:
        '"PST" is a fixed offset with no summer time. Please use a place name instead, such as America/Los_Angeles.',
    });
    expect(await group()).toMatchObject({ name: 'Leaflet group', timezone: 'Europe/London' });
  });

  it.each(['x', '1.5', '99999999999'])(
    'answers a settings form that names no group (%j) plainly, and changes nothing',
    async (state) => {
      await say(ann, 'setup --name "Leaflet group"');
      const [form] = (await say(ann, 'group settings')).forms;
      const saved = await submit(ann, { ...form!, state }, { name: 'Renamed', timezone: 'Europe/Paris' });
      expect(saved.text).toBe('That group no longer exists, so nothing was changed.');
      expect(await group()).toMatchObject({ name: 'Leaflet group', timezone: 'Europe/London' });
    },
  );

  it('is only for coordinators', async () => {
    await say(ann, 'setup');
    const { text, forms } = await say(sam, 'group settings');
    expect(text).toContain('Only coordinators can use /copro group settings.');
    expect(forms).toEqual([]);
  });
});
