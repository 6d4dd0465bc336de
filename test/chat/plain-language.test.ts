import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { lines, MAX_GRADE, score } from '../support/readability.js';
import { catalogueStrings, memberStrings, type Seen } from './member-strings.js';

/**
 * Members include patients and carers who are not researchers, some with a learning disability
 * or reading in a second language: what copro says should read at about age 13 (Flesch-Kincaid
 * grade 8) or below. Each line is scored on its own, as a member reads it.
 */
let db: TestDb;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());

interface Graded extends Seen {
  readonly grade: number;
}

/** Each distinct line once, with its grade and the first place it was seen. */
function grade(strings: readonly Seen[]): Graded[] {
  const byText = new Map<string, Graded>();
  for (const { text, from } of strings)
    for (const line of lines(text)) {
      const s = score(line);
      if (s && !byText.has(line)) byText.set(line, { text: line, from, grade: s.grade });
    }
  return [...byText.values()].sort((a, b) => b.grade - a.grade);
}

function report(graded: readonly Graded[]): string {
  const over = graded.filter((g) => g.grade > MAX_GRADE);
  return [
    `${over.length} of ${graded.length} scored strings read above grade ${MAX_GRADE}; the hardest first:`,
    ...over.slice(0, 25).map((g) => `- grade ${g.grade.toFixed(1)} (${g.from}): ${JSON.stringify(g.text)}`),
  ].join('\n');
}

describe('the words copro shows members', () => {
  it(`read at grade ${MAX_GRADE} or below in every command's summary and option`, () => {
    const graded = grade(catalogueStrings());
    expect(graded.length).toBeGreaterThan(20);
    expect(
      graded.filter((g) => g.grade > MAX_GRADE),
      report(graded),
    ).toEqual([]);
  });

  it(`read at grade ${MAX_GRADE} or below in every message, button and form a group meets`, async () => {
    const graded = grade(await memberStrings(db));
    expect(graded.length).toBeGreaterThan(200);
    expect(
      graded.filter((g) => g.grade > MAX_GRADE),
      report(graded),
    ).toEqual([]);
  });
});
