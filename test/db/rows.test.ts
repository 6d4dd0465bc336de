import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { oneOf, rowsOf } from '../../db/rows.js';
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

  it('keeps each row its own time, when rows share one Date and when their times are a millisecond apart', async () => {
    const shared = new Date('2026-12-04T02:00:00.001Z');
    const next = new Date('2026-12-04T02:00:00.002Z');
    const ids = [
      '6f1c9c52-1d3e-4a57-9a8e-0b1f8d2c4e12',
      '6f1c9c52-1d3e-4a57-9a8e-0b1f8d2c4e13',
      '6f1c9c52-1d3e-4a57-9a8e-0b1f8d2c4e14',
    ];
    await db.db.insert(schema.inbox).select(
      rowsOf(schema.inbox, [
        { id: ids[0], platform: 'slack', payload: {}, receivedAt: shared },
        { id: ids[1], platform: 'slack', payload: {}, receivedAt: next },
        { id: ids[2], platform: 'slack', payload: {}, receivedAt: shared },
      ]),
    );
    const rows = await db.db.select().from(schema.inbox);
    const at = new Map(rows.map((r) => [r.id, r.receivedAt.toISOString()]));
    expect(ids.map((id) => at.get(id))).toEqual([shared, next, shared].map((d) => d.toISOString()));
  });

  it('keeps a Date given as a json value as its JSON text, as values() does', async () => {
    const at = new Date('2026-12-04T02:00:00.001Z');
    await db.db
      .insert(schema.inbox)
      .select(
        rowsOf(schema.inbox, [
          { id: '6f1c9c52-1d3e-4a57-9a8e-0b1f8d2c4e15', platform: 'slack', payload: at, receivedAt: at },
        ]),
      );
    const [row] = await db.db.select().from(schema.inbox);
    expect(row?.payload).toBe('2026-12-04T02:00:00.001Z');
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

  it('numbers rows of a table with an identity column from its sequence, as values() would', async () => {
    const [byValues] = await db.db
      .insert(schema.members)
      .values({ platform: 'slack', workspaceId: 'T1', userId: 'U0', displayName: 'Ada' })
      .returning();
    const written = await db.db
      .insert(schema.members)
      .select(
        rowsOf(schema.members, [
          { platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'Bea' },
          {
            platform: 'slack',
            workspaceId: 'T1',
            userId: 'U2',
            displayName: 'Cy',
            timezone: 'Europe/London',
          },
        ]),
      )
      .returning();
    expect(written.map((m) => [m.userId, m.displayName, m.timezone])).toEqual([
      ['U1', 'Bea', null],
      ['U2', 'Cy', 'Europe/London'],
    ]);
    const ids = written.map((m) => m.id);
    expect(new Set([byValues?.id, ...ids]).size).toBe(3);
    // The sequence moved on: the next row from values() takes a number after them.
    const [after] = await db.db
      .insert(schema.members)
      .values({ platform: 'slack', workspaceId: 'T1', userId: 'U3', displayName: 'Di' })
      .returning();
    expect(after?.id).toBeGreaterThan(Math.max(...ids));
  });

  it('gives a column a row leaves out its default from the schema', async () => {
    const [group] = await db.db
      .insert(schema.groups)
      .values({ platform: 'slack', workspaceId: 'T1', homeChannelId: 'C1', name: 'G' })
      .returning();
    const [member] = await db.db
      .insert(schema.members)
      .values({ platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'Ada' })
      .returning();
    const groupId = group?.id as number;
    const memberId = member?.id as number;
    await db.db.insert(schema.roleAssignments).select(
      rowsOf(schema.roleAssignments, [
        { groupId, memberId, roleKey: 'member' },
        { groupId, memberId, roleKey: 'carer', shownToGroup: true },
      ]),
    );
    const rows = await db.db
      .select()
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.groupId, groupId));
    expect(rows.map((r) => [r.roleKey, r.shownToGroup, r.removedAt]).sort()).toEqual([
      ['carer', true, null],
      ['member', false, null],
    ]);
  });

  it('finds rows by a list of any length given as one parameter', async () => {
    await db.db.insert(schema.processedEvents).select(
      rowsOf(
        schema.processedEvents,
        ['a', "it's", 'c\\d', '🗳️', 'e'].map((eventId) => ({ platform: 'slack', eventId })),
      ),
    );
    const found = async (ids: string[]) =>
      (
        await db.db
          .select({ id: schema.processedEvents.eventId })
          .from(schema.processedEvents)
          .where(
            and(eq(schema.processedEvents.platform, 'slack'), oneOf(schema.processedEvents.eventId, ids)),
          )
      )
        .map((r) => r.id)
        .sort();
    expect(await found(["it's", '🗳️', 'missing'])).toEqual(["it's", '🗳️']);
    expect(await found(['c\\d'])).toEqual(['c\\d']);
    expect(await found([])).toEqual([]);
    const many = Array.from({ length: 5_000 }, (_, i) => `x${i}`);
    expect(await found([...many, 'e'])).toEqual(['e']);
  });
});
