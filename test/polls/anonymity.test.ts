import { createHash, createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { eq, is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import * as tables from '../../db/schema/index.js';
import type { Actor } from '../../src/chat/index.js';
import { createLogger } from '../../src/logger.js';
import { voterKey } from '../../src/polls/voter-key.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person } from '../support/events.js';
import { pollWorld, TEST_SECRET } from './support.js';

/** Every table the schema defines: a table added later is covered without touching this test. */
const schemaTables = (Object.values(tables).filter((t) => is(t, PgTable)) as PgTable[])
  .map((t) => getTableConfig(t).name)
  .sort();

type Row = Record<string, unknown>;
type Snapshot = Map<string, Row[]>;

/** Every row of every table, with the system columns that say which transaction wrote or locked it, and where it sits. */
async function snapshot(db: TestDb): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const name of schemaTables) {
    const result = await db.db.execute(
      sql.raw(`select xmin::text as "_xmin", xmax::text as "_xmax", ctid::text as "_ctid", * from "${name}"`),
    );
    out.set(name, (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[]);
  }
  return out;
}

const withoutSystem = (row: Row) =>
  JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('_'))));
const rowKey = (row: Row, keep: (k: string) => boolean) =>
  JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => keep(k))));

/** Every string (and number) held anywhere, inside JSON values too. */
function valuesIn(value: unknown, into: Set<string>): Set<string> {
  if (value === null || value === undefined) return into;
  if (typeof value === 'string') {
    into.add(value);
    if (/^[[{]/.test(value)) {
      try {
        valuesIn(JSON.parse(value), into);
      } catch {}
    }
  } else if (typeof value === 'number' || typeof value === 'bigint') into.add(String(value));
  else if (value instanceof Date) into.add(value.toISOString());
  else if (Array.isArray(value)) for (const v of value) valuesIn(v, into);
  else if (typeof value === 'object') for (const v of Object.values(value as Row)) valuesIn(v, into);
  return into;
}

/** Every key someone holding only the database could try: each value held, read every way a key is written. */
function candidateKeys(snap: Snapshot): Buffer[] {
  const strings = new Set<string>();
  for (const rows of snap.values()) for (const row of rows) valuesIn(row, strings);
  const keys: Buffer[] = [Buffer.alloc(0)];
  for (const s of strings) {
    keys.push(Buffer.from(s, 'utf8'));
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      const decoded = Buffer.from(s.trim(), encoding);
      if (decoded.length >= 16) keys.push(decoded);
    }
  }
  return keys;
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('base64url');
const page = (ctid: unknown) => String(ctid).slice(1, -1).split(',').map(Number) as [number, number];

let db: TestDb;
const lines: string[] = [];

beforeAll(async () => {
  db = await openTestDb();
  // The ballots' order on disk is read below. Rows other test files deleted leave free space that
  // the database fills in its own order, so start, as a new install does, from a table without it.
  await db.db.execute(sql`truncate poll_votes`);
});
afterAll(async () => db.close());

describe('an anonymous poll, read from the database and the logs', () => {
  it('leaves nothing that links a ballot to its voter: no member, no recomputable hash, no order, no time, no role', async () => {
    const logger = createLogger(
      'trace',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const world = pollWorld(db, { logger });
    const ann = person('Ann');
    const voters: Actor[] = ['Zephyrine', 'Quillon', 'Marisol', 'Ottoline'].map((n) => person(n));
    await world.say(ann, 'setup');
    for (const who of voters) await world.joins(who);
    for (const who of voters.slice(0, 3)) await world.say(ann, `role add @${who.userId} carer`);
    await world.say(ann, `role add @${voters[3]?.userId} researcher`);
    const code = await world.openPoll('poll "Which day suits you?" "Monday" "Friday" --anonymous', ann);
    const [poll] = await db.db.select().from(schema.polls).where(eq(schema.polls.code, code));
    if (!poll) throw new Error('no poll');
    const members = await db.db.select().from(schema.members);
    const memberOf = (who: Actor) => members.find((m) => m.userId === who.userId)?.id as number;

    // Votes are cast in the reverse order of the keys copro stores, so that storing them in click
    // order could not pass for storing them in key order.
    const keyOf = (who: Actor) => voterKey(poll, memberOf(who), TEST_SECRET);
    const clickOrder = [...voters].sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : -1));
    const before = await snapshot(db);
    const eventIds: string[] = [];
    let second = 1_700_000_000;
    const ref = await world.pollMessage(code);
    for (const [i, who] of clickOrder.entries()) {
      world.clock.advance(61_000);
      // Ids as Slack's are built: who, which button, when.
      const id = `action:${who.userId}:poll.vote:${code}:${i % 2}:${second++}.000100`;
      eventIds.push(id);
      const { event } = clicked(who, 'poll.vote', `${code}:${i % 2}`);
      const click = { ...event, id, ...(ref ? { message: ref } : {}) };
      await world.app.handle(click);
      if (i === 0) await world.app.handle(click); // a redelivery: ignored, and logged
    }
    // The first voter changes their mind, and someone presses a button that names no answer.
    const changeId = `action:${clickOrder[0]?.userId}:poll.vote:${code}:1:${second++}.000100`;
    eventIds.push(changeId);
    await world.app.handle({
      ...clicked(clickOrder[0] as Actor, 'poll.vote', `${code}:1`).event,
      id: changeId,
      ...(ref ? { message: ref } : {}),
    });
    await world.click(voters[1] as Actor, 'poll.vote', `${code}:7`, { code });
    await world.dispatcher.dispatchDue();
    const after = await snapshot(db);

    // 1. Every table is read: the schema's tables are exactly the database's.
    const inDb = await db.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`);
    const dbTables = ((Array.isArray(inDb) ? inDb : (inDb as { rows: Row[] }).rows) as Row[])
      .map((r) => String(r.tablename))
      // Tables other test files made for themselves (test_…) may share this worker's database.
      .filter((name) => !name.startsWith('test_'))
      .sort();
    expect(dbTables).toEqual(schemaTables);

    // 2. Voting changed only the ballots, the poll's message and the record of handled events.
    //    No other row was written, and none tied to a person was even locked.
    const written = new Set(['poll_votes', 'outbox', 'processed_events']);
    for (const name of schemaTables) {
      if (written.has(name)) continue;
      const was = (before.get(name) ?? []).map((r) => rowKey(r, (k) => k !== '_xmax')).sort();
      const now = (after.get(name) ?? []).map((r) => rowKey(r, (k) => k !== '_xmax')).sort();
      expect(now, `${name} changed while people voted`).toEqual(was);
      if (name !== 'polls' && name !== 'groups') {
        const locks = (after.get(name) ?? []).map((r) => rowKey(r, () => true)).sort();
        expect(locks, `rows of ${name} were locked by a vote`).toEqual(
          (before.get(name) ?? []).map((r) => rowKey(r, () => true)).sort(),
        );
      }
    }

    // 3. The ballots: the tally's choices, a key, and nothing else that differs between them.
    const ballots = (after.get('poll_votes') ?? []).filter((r) => r.poll_id === poll.id);
    expect(ballots).toHaveLength(4);
    expect(Object.keys(ballots[0] ?? {}).sort()).toEqual(
      [
        '_ctid',
        '_xmax',
        '_xmin',
        'choices',
        'created_at',
        'member_id',
        'poll_id',
        'updated_at',
        'voter_key',
      ].sort(),
    );
    for (const ballot of ballots) {
      expect(ballot.member_id).toBeNull();
      expect(new Date(String(ballot.created_at)).getTime()).toBe(poll.createdAt.getTime());
      expect(new Date(String(ballot.updated_at)).getTime()).toBe(poll.createdAt.getTime());
    }
    expect(new Set(ballots.map((b) => b._xmin)).size, 'ballots written by different transactions').toBe(1);
    const stored = [...ballots]
      .sort((a, b) => page(a._ctid)[0] - page(b._ctid)[0] || page(a._ctid)[1] - page(b._ctid)[1])
      .map((b) => String(b.voter_key));
    expect(stored).toEqual([...stored].sort());
    expect(stored).not.toEqual(clickOrder.map(keyOf));

    // 4. No ballot key, and no record of a handled event, can be recomputed from what the
    //    database holds: not with any value in it as the key, and not as a plain hash.
    const keys = candidateKeys(after);
    const ballotKeys = new Set(ballots.map((b) => String(b.voter_key)));
    for (const member of members) {
      for (const text of [`${poll.id}:${member.id}`, String(member.id), member.userId]) {
        expect(ballotKeys.has(`a:${sha(text)}`)).toBe(false);
        for (const key of keys) expect(ballotKeys.has(`a:${hmac(key, text)}`)).toBe(false);
      }
    }
    const handled = new Set((after.get('processed_events') ?? []).map((r) => String(r.event_id)));
    expect(handled.size).toBeGreaterThan(0);
    for (const id of eventIds) {
      expect(handled.has(sha(id))).toBe(false);
      for (const key of keys) {
        expect(handled.has(hmac(key, id))).toBe(false);
        expect(handled.has(hmac(key, `event:${id}`))).toBe(false);
      }
    }
    const dump = JSON.stringify([...after.values()]);
    for (const encoding of ['base64', 'base64url', 'hex'] as const)
      expect(dump).not.toContain(TEST_SECRET.toString(encoding));
    expect(dump).not.toContain('instance_secrets');

    // 5. The count is still right: Friday 3 (the change, and two others), Monday 1.
    const message = JSON.stringify((after.get('outbox') ?? []).map((r) => r.message));
    expect(message).toContain('Monday**: 1 vote (25%)');
    expect(message).toContain('Friday**: 3 votes (75%)');

    // 6. Closing it posts the breakdown from the members' roles now, and stores no link either.
    const results = await world.close(code, ann);
    expect(results).toContain('4 of 5 members voted (80%).');
    expect(results).not.toContain('carer (3 people)');
    const closed = await snapshot(db);
    expect((closed.get('poll_votes') ?? []).map(withoutSystem).sort(), 'closing changed the ballots').toEqual(
      ballots.map(withoutSystem).sort(),
    );

    // 7. Every log line: none names a voter, their member id, a ballot key or a click.
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const who of voters) {
        expect(line).not.toContain(who.userId);
        expect(line).not.toContain(who.displayName);
        expect(line).not.toMatch(new RegExp(`"(memberId|member)":${memberOf(who)}\\b`));
      }
      for (const key of ballotKeys) expect(line).not.toContain(key.slice(2));
      for (const id of eventIds) expect(line).not.toContain(id);
    }
  });
});
