import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whyNotStarted } from '../src/start-failure.js';
import { openTestDb, type TestDb } from './support/db.js';

describe('why copro could not start', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('gives the database’s reason for a failed query, not the statement or its values', async () => {
    const error = await db.db.execute(sql`select * from no_such_table where name = ${'Samira Q'}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    const said = whyNotStarted(error);
    expect(said).toMatch(
      /^copro could not start: the database refused a query while starting \(.*no_such_table.*\)\./,
    );
    expect(said).toContain("If another program is using copro's tables, stop it, then start copro again.");
    expect(said).not.toContain('Samira');
    expect(said).not.toContain('select');
    expect(said.split('\n')).toHaveLength(1);
  });

  it('says the database stopped answering when the connection was lost, not that tables are in use', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const error = new Error('Failed query: select * from "inbox" where "id" = $1\nparams: Samira', {
      cause: lost,
    });
    const said = whyNotStarted(error);
    expect(said).toBe(
      'copro could not start: the database stopped answering while copro was starting (read ECONNRESET). Start copro again in a moment. If this keeps happening, check that the database server is running and that the network to it is sound.',
    );
    expect(said).not.toContain('Samira');
  });

  it('says any other failure in one line', () => {
    expect(whyNotStarted(new Error('the Slack adapter is already started\n    at x (y.js:1:1)'))).toBe(
      'copro could not start: the Slack adapter is already started',
    );
  });
});
