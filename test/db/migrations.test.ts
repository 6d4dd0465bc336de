import { describe, expect, it } from 'vitest';
import { openTestDb } from '../support/db.js';
import { expectedTables, tables } from './support.js';

describe('migrations', () => {
  it('apply to the test database (PGlite, or the server when TEST_DATABASE_URL is set)', async () => {
    const opened = await openTestDb();
    try {
      expect(await tables(opened)).toEqual(expect.arrayContaining(expectedTables));
    } finally {
      await opened.close();
    }
  });
});
