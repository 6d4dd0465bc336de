import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActorLookup } from '../../adapters/slack/actors.js';
import { createLeanFetch } from '../../adapters/slack/lean-fetch.js';
import { createUsersInfo } from '../../adapters/slack/users-info.js';
import { ensureMember } from '../../src/groups/members.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

let fake: FakeSlack;
let db: TestDb;
let clock = 0;
const lookup = () =>
  createActorLookup(
    createUsersInfo(createLeanFetch().fetch, 'xoxb-fake-token', fake.apiUrl),
    silentLogger(),
    () => clock,
  );

beforeAll(async () => {
  [fake, db] = await Promise.all([startFakeSlack(), openTestDb()]);
  fake.addUser({ id: 'UDEE', name: 'dee', displayName: 'Dee Dawson', tz: 'Europe/London' });
  fake.addUser({ id: 'UEVE', name: 'eve', displayName: 'Eve Evans', tz: 'America/Chicago' });
});
beforeEach(() => {
  fake.clear();
  clock = 1_000_000;
});
afterAll(async () => {
  await Promise.all([fake.close(), db.close()]);
});

describe('finding out who clicked, from Slack', () => {
  it('gives the name and timezone Slack knows', async () => {
    const actor = await lookup()(fake.teamId, 'UDEE', 'dee');
    expect(actor).toMatchObject({ displayName: 'Dee Dawson', timezone: 'Europe/London' });
    expect(actor.displayNameOutsideGroup).toBeUndefined();
  });

  it('asks Slack once for someone who clicks twice at once', async () => {
    const actorFor = lookup();
    const [first, second] = await Promise.all([
      actorFor(fake.teamId, 'UDEE', 'dee'),
      actorFor(fake.teamId, 'UDEE', 'dee'),
    ]);
    expect(second).toEqual(first);
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('after a 429, leaves users.info alone for as long as Slack asked, using the names in the clicks', async () => {
    const actorFor = lookup();
    fake.failNext('users.info', { status: 429, retryAfter: 30 });
    expect(await actorFor(fake.teamId, 'UDEE', 'dee')).toMatchObject({ displayName: 'dee' });
    clock += 29_000;
    expect(await actorFor(fake.teamId, 'UEVE', 'eve')).toMatchObject({ displayName: 'eve' });
    expect(fake.callsTo('users.info')).toHaveLength(1);
    clock += 2_000;
    expect(await actorFor(fake.teamId, 'UEVE', 'eve')).toMatchObject({
      displayName: 'Eve Evans',
      timezone: 'America/Chicago',
    });
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });

  it('leaves users.info alone for a minute at most, whatever Retry-After asks', async () => {
    const actorFor = lookup();
    fake.failNext('users.info', { status: 429, retryAfter: 100_000_000 });
    expect(await actorFor(fake.teamId, 'UDEE', 'dee')).toMatchObject({ profileUnknown: true });
    clock += 61_000;
    expect(await actorFor(fake.teamId, 'UDEE', 'dee')).toMatchObject({ displayName: 'Dee Dawson' });
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });

  it('asks about someone Slack does not know once a minute, not once a click', async () => {
    const actorFor = lookup();
    for (let i = 0; i < 5; i++) await actorFor(fake.teamId, 'UNOBODY', 'nobody');
    expect(fake.callsTo('users.info')).toHaveLength(1);
    clock += 61_000;
    await actorFor(fake.teamId, 'UNOBODY', 'nobody');
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });

  it('keeps the name copro already has when Slack cannot say who someone is', async () => {
    const known = await ensureMember(db.db, await lookup()(fake.teamId, 'UDEE', 'dee'));
    expect(known.displayName).toBe('Dee Dawson');
    fake.failNext('users.info', { status: 429, retryAfter: 5 });
    const unknown = await lookup()(fake.teamId, 'UDEE', 'dee');
    const after = await ensureMember(db.db, unknown);
    expect(after).toMatchObject({ id: known.id, displayName: 'Dee Dawson', timezone: 'Europe/London' });
  });

  it('names someone it has never met by the name in the click when Slack is down', async () => {
    fake.failNext('users.info', { status: 503 });
    const actor = await lookup()(fake.teamId, 'UEVE', 'eve');
    expect(actor).toMatchObject({ displayName: 'eve', isPlatformAdmin: false });
    expect((await ensureMember(db.db, actor)).displayName).toBe('eve');
  });
});
