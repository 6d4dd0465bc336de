import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { InboundEvent } from '../../src/chat/index.js';
import { systemClock } from '../../src/clock.js';
import { handleOnce } from '../../src/events.js';
import { createInbox, type Inbox } from '../../src/inbox.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * The inbox keeps every delivery before it is acknowledged. Under a burst many are written in one
 * statement; each must still come back under its own id, and one the database refuses must not
 * take the others down with it.
 */
let db: TestDb;
let inbox: Inbox;

beforeAll(async () => {
  db = await openTestDb();
});
beforeEach(async () => {
  await db.reset();
  inbox = createInbox(db.db);
});
afterAll(async () => {
  await db.close();
});

const click = (n: number) => ({ type: 'block_actions', user: { id: `U${n}` }, n });

describe('the inbox', () => {
  it('keeps a burst of 250 deliveries, each under its own id, in the order they came', async () => {
    const ids = await Promise.all(Array.from({ length: 250 }, (_, n) => inbox.keep('slack', click(n))));
    expect(new Set(ids).size).toBe(250);
    const waiting = await inbox.waiting('slack');
    expect(waiting).toHaveLength(250);
    const byId = new Map(waiting.map((w) => [w.id, w.payload]));
    expect(ids.map((id) => byId.get(id))).toEqual(ids.map((_, n) => click(n)));
    expect(waiting.map((w) => (w.payload as { n: number }).n)).toEqual(ids.map((_, n) => n));
  });

  it('lets go of exactly the deliveries handled, however many at once', async () => {
    const ids = await Promise.all(Array.from({ length: 120 }, (_, n) => inbox.keep('discord', click(n))));
    await Promise.all(ids.filter((_, n) => n % 2 === 0).map((id) => inbox.release(id)));
    const left = await inbox.waiting('discord');
    expect(left.map((w) => (w.payload as { n: number }).n)).toEqual(
      Array.from({ length: 60 }, (_, i) => 2 * i + 1),
    );
  });

  it('refuses only the delivery the database cannot store, and keeps the others sent with it', async () => {
    // Postgres cannot store the NUL character in text. (A payload keeps one: it is json.)
    const results = await Promise.allSettled([
      inbox.keep('slack', click(1)),
      inbox.keep('slack', click(2)),
      inbox.keep('sla\u0000ck', click(3)),
      inbox.keep('slack', click(4)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const kept = (await inbox.waiting('slack')).map((w) => (w.payload as { n: number }).n);
    expect(kept.sort()).toEqual([1, 2, 4]);
  });

  it('keeps a payload holding a NUL character exactly as it came', async () => {
    await inbox.keep('slack', { ...click(5), text: 'a\u0000b' });
    expect((await inbox.waiting('slack')).map((w) => w.payload)).toEqual([{ ...click(5), text: 'a\u0000b' }]);
  });

  it('lets a delivery go in the same transaction as its effects, and keeps it when they fail', async () => {
    const deps = { db: db.db, clock: systemClock, logger: silentLogger(), platforms: {} };
    const event = (id: string, keptAs: string): InboundEvent => ({
      kind: 'workspaceRemoved',
      id,
      keptAs,
      actor: { platform: 'slack', workspaceId: 'T1', userId: '', displayName: '' },
    });
    const handled = await inbox.keep('slack', click(1));
    const failed = await inbox.keep('slack', click(2));
    await handleOnce(deps, event('E1', handled), async () => undefined);
    await expect(
      handleOnce(deps, event('E2', failed), async () => {
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect((await inbox.waiting('slack')).map((w) => w.id)).toEqual([failed]);
  });
});

describe('the inbox, given the encryption key', () => {
  const key = randomBytes(32);
  const vote = { type: 'block_actions', user: { id: 'UVOTER7' }, actions: [{ value: 'PSECRET:1' }] };

  it('stores no delivery in plain text, and gives each back as it came', async () => {
    const sealed = createInbox(db.db, { key });
    const id = await sealed.keep('slack', vote);
    const [row] = await db.db.select({ text: sql<string>`${schema.inbox.payload}::text` }).from(schema.inbox);
    expect(row?.text).not.toContain('UVOTER7');
    expect(row?.text).not.toContain('PSECRET');
    expect(await sealed.waiting('slack')).toEqual([{ id, payload: vote }]);
  });

  it('keeps, with one warning, deliveries sealed with a key it was not given, until it is', async () => {
    const before = randomBytes(32);
    const lost = await createInbox(db.db, { key: before }).keep('slack', vote);
    await createInbox(db.db, { key: before }).keep('slack', click(3));
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) });
    const other = createInbox(db.db, { key, logger });
    const later = await other.keep('slack', click(1));
    expect(await other.waiting('slack')).toEqual([{ id: later, payload: click(1) }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"count":2');
    expect(lines[0]).toContain('COPRO_PREVIOUS_ENCRYPTION_KEY');
    expect(lines[0]).not.toContain('UVOTER7');
    // Given the key again (as the previous one), nothing was lost.
    const again = await createInbox(db.db, { key: { current: key, previous: before } }).waiting('slack');
    expect(again.map((w) => w.id)).toContain(lost);
    expect(again).toHaveLength(3);
  });

  it('opens deliveries sealed with the key file once an encryption key is set', async () => {
    const file = randomBytes(32);
    const id = await createInbox(db.db, { key: file }).keep('slack', vote);
    expect(await createInbox(db.db, { key, alsoOpenWith: [file] }).waiting('slack')).toEqual([
      { id, payload: vote },
    ]);
  });

  it('does not open a sealed payload copied into another row', async () => {
    const sealed = createInbox(db.db, { key });
    const [first, second] = [await sealed.keep('slack', vote), await sealed.keep('slack', click(2))];
    await db.db.execute(
      sql`update inbox set payload = (select payload from inbox where id = ${first}) where id = ${second}`,
    );
    expect(await sealed.waiting('slack')).toEqual([{ id: first, payload: vote }]);
  });

  it('still reads deliveries kept before it had a key', async () => {
    const id = await createInbox(db.db).keep('slack', vote);
    expect(await createInbox(db.db, { key }).waiting('slack')).toEqual([{ id, payload: vote }]);
  });
});
