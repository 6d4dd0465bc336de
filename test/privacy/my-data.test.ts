import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { fixedClock } from '../../src/clock.js';
import { collectExport } from '../../src/privacy/export.js';
import { personLikeColumns } from '../../src/privacy/schema-columns.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { declarations, rowsPointingAt } from './coverage.js';
import { afterAMembersLife, KEY, privacyWorld, samira, type World } from './support.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
let world: World;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-11-23T10:00:00Z');
  world = privacyWorld(db, clock);
});

const samiraRow = async () =>
  (await db.db.select().from(schema.members).where(eq(schema.members.userId, samira.userId)))[0]!;

describe('what each feature declares about personal data', () => {
  it('covers every column of the schema that could point at a person, each in exactly one feature', () => {
    const all = declarations();
    const claims = new Map<string, string[]>();
    for (const d of all)
      for (const c of [...d.refersToPerson, ...(d.holdsNoPerson ?? [])])
        claims.set(c, [...(claims.get(c) ?? []), d.feature]);
    const undeclared = personLikeColumns()
      .map((c) => c.name)
      .filter((name) => !claims.has(name));
    expect(undeclared, 'these columns may point at a person: declare them in their feature').toEqual([]);
    const twice = [...claims].filter(([, by]) => by.length > 1).map(([c]) => c);
    expect(twice).toEqual([]);
  });

  it('names only columns that exist, and keeps out of the export only columns it says point at a person', () => {
    const known = new Set(personLikeColumns().map((c) => c.name));
    for (const d of declarations()) {
      for (const c of [...d.refersToPerson, ...(d.holdsNoPerson ?? [])])
        expect(known, `${d.feature}: ${c}`).toContain(c);
      for (const c of Object.keys(d.notExported ?? {}))
        expect(d.refersToPerson, `${d.feature}: ${c}`).toContain(c);
    }
  });
});

describe('/copro my-data', () => {
  it('exports every row that points at the member, in every table that has one', async () => {
    await afterAMembersLife(db, world, clock);
    const member = await samiraRow();
    const sections = await collectExport(declarations(), { db: db.db, member, encryptionKey: KEY });
    const reached = await rowsPointingAt(db, member, { exportedOnly: true });
    for (const { table, rows } of reached) {
      const exported = sections.filter((s) => s.table === table).reduce((n, s) => n + s.rows.length, 0);
      expect(exported, `rows of ${table} about the member`).toBeGreaterThanOrEqual(rows);
    }
    // The life above reaches every table that can hold something about a person, so a table
    // added tomorrow is only covered once this life touches it too.
    const untouched = reached.filter((r) => r.rows === 0).map((r) => r.table);
    expect(untouched.sort()).toEqual(['jobs', 'onboarding_packs']);
  });

  it('answers in chat with a readable summary, and the file holds the answers, health details opened', async () => {
    await afterAMembersLife(db, world, clock);
    const { text, last } = await world.say(samira, 'my-data');
    expect(text).toContain('This is everything copro holds about you:');
    expect(text).toContain('• Your votes: 1 entry');
    expect(text).toContain('• Your buddy pairs: 1 entry');
    expect(text).toContain('Your votes in anonymous polls are not here');
    expect(text).toContain('copro-my-data-2026-12-04.json');
    expect(last?.blocks?.[0]).toEqual({ type: 'heading', text: 'Your data' });
    const file = last?.files?.[0];
    expect(file?.name).toBe('copro-my-data-2026-12-04.json');
    const body = JSON.parse(file?.content ?? '');
    expect(file?.mimeType).toBe('application/json');
    const titled = (title: string) => body.sections.find((s: { title: string }) => s.title === title);
    expect(titled('Your answers to the welcome questions').rows[0]).toMatchObject({
      preferredName: 'Samira',
      livedExperience: ['bipolar disorder'],
      // In the words the member chose from, not copro's codes.
      contactBy: 'A message here',
      accessNeeds: {
        choices: ['Papers a week ahead', 'Large print'],
        other: 'Mornings are hard for me',
      },
    });
    expect(titled('Your votes').rows).toEqual([
      expect.objectContaining({ question: 'Which day suits you?', choices: ['Friday'] }),
    ]);
    expect(titled('Your buddy pairs').rows[0]).toMatchObject({ with: ['Bo'], yourAnswer: 'met' });
    expect(titled('People you asked not to be paired with').rows).toEqual([
      expect.objectContaining({ person: 'Cy' }),
    ]);
    expect(titled('Your roles, now and before').rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'researcher', removedAt: expect.any(String) }),
        expect.objectContaining({ role: 'member', removedAt: null }),
      ]),
    );
    // Cy asked not to be paired with her too: that is Cy's private choice, and it is not there.
    const avoids = body.sections.filter((s: { table: string }) => s.table === 'buddy_avoids');
    expect(avoids.flatMap((s: { rows: unknown[] }) => s.rows)).toHaveLength(1);
  });
});
