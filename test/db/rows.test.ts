import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { openTestDb, type TestDb } from '../support/db.js';

/**
 * rowsOf writes many rows through one JSON parameter. What goes in must come out as Drizzle's
 * own VALUES would have stored it, on the embedded database and on a server alike.
 */
let db: TestDb;

beforeAll(async () => {
  db = await openTestDb();
});
beforeEach(async () => {
  await db.reset();
});
afterAll(async () => {
  await db.close();
});

describe('rows written through one parameter', () => {
  it('stores each value as given, and a default for a column left out', async () => {
    const before = new Date(Date.now() - 60_000);
    await db.db.insert(schema.processedEvents).select(
      rowsOf(schema.processedEvents, [
        { platform: 'slack', eventId: 'action:U1:poll.vote:1.5' },
        { platform: 'discord', eventId: 'it\'s "quoted", with ünïcode and a \\ backslash' },
      ]),
    );
    const rows = await db.db.select().from(schema.processedEvents);
    expect(rows.map((r) => [r.platform, r.eventId]).sort()).toEqual([
      ['discord', 'it\'s "quoted", with ünïcode and a \\ backslash'],
      ['slack', 'action:U1:poll.vote:1.5'],
    ]);
    for (const row of rows) expect(row.processedAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it('keeps times, json, NUL characters and lone surrogates exactly', async () => {
    const at = new Date('2026-12-03T09:30:00.123Z');
    // A lone surrogate is what JSON.stringify escapes as \ud800; Slack's JSON can carry one.
    const payload = { text: 'a\u0000b', nested: [1, { deep: null }], emoji: '🗳️', broken: 'x\ud800y' };
    await db.db
      .insert(schema.inbox)
      .select(
        rowsOf(schema.inbox, [
          { id: '6f1c9c52-1d3e-4a57-9a8e-0b1f8d2c4e11', platform: 'slack', payload, receivedAt: at },
        ]),
      );
    const [row] = await db.db.select().from(schema.inbox);
    expect(row?.payload).toEqual(payload);
    expect(row?.receivedAt.toISOString()).toBe(at.toISOString());
  });

  it('answers only the fresh rows when asked to skip those already there', async () => {
    const write = (ids: string[]) =>
      db.db
        .insert(schema.processedEvents)
        .select(
          rowsOf(
            schema.processedEvents,
            ids.map((eventId) => ({ platform: 'slack', eventId })),
          ),
        )
        .onConflictDoNothing()
        .returning({ eventId: schema.processedEvents.eventId });
    expect(await write(['a', 'b'])).toHaveLength(2);
    const second = await write(['b', 'c', 'd']);
    expect(second.map((r) => r.eventId).sort()).toEqual(['c', 'd']);
    expect(
      await db.db.select().from(schema.processedEvents).where(eq(schema.processedEvents.platform, 'slack')),
    ).toHaveLength(4);
  });

  it('refuses a table with an identity column, which a select cannot fill', () => {
    expect(() => rowsOf(schema.members, [{ platform: 'slack', workspaceId: 'T1', userId: 'U1' }])).toThrow(
      /identity column/,
    );
  });
});
