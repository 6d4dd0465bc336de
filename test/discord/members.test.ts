import { GatewayIntentBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { eventually } from '../support/fake-discord-driver.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { ANN, type Harness, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

/** Events on one gateway connection arrive in order: once a later command is answered, the join was seen. */
async function flush() {
  const help = h.fake.command(ANN, ['help']);
  await eventually(() => h.fake.visible(help).length > 0, 'a later answer');
  await h.discord.settled();
}

async function setUpGroup() {
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  await h.discord.settled();
}

describe('people joining the server', () => {
  it('asks Discord for the Server Members intent, and Guilds (to hear of its removal), only', () => {
    expect(h.fake.gateway.identifies.map((i) => i.intents)).toEqual([
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers,
    ]);
  });

  it('welcomes a new member with one direct message when the server has a group', async () => {
    await setUpGroup();
    const dee = fakeMember('dee', { globalName: 'Dee' });
    expect(h.fake.memberJoins(dee)).toBe(1);
    const [welcome] = await eventually(
      () => h.fake.dmsTo(dee.user.id).length > 0 && h.fake.dmsTo(dee.user.id),
      'a welcome DM',
    );
    await h.discord.settled();

    expect(welcome!.content).toContain('## Welcome to #co-production');
    expect(welcome!.content).toContain(`Ask <@${ANN.user.id}>, the coordinator`);
    expect(h.fake.requestsTo('POST', /^\/users\/@me\/channels$/).map((r) => r.body)).toContainEqual({
      recipient_id: dee.user.id,
    });
  });

  it('welcomes once when the same join arrives twice', async () => {
    await setUpGroup();
    const eve = fakeMember('eve');
    const joinedAt = '2026-11-21T09:00:00.000Z';
    h.fake.memberJoins(eve, joinedAt);
    h.fake.memberJoins(eve, joinedAt);
    await flush();
    expect(h.fake.dmsTo(eve.user.id)).toHaveLength(1);
  });

  it('sends nothing when the server has no group yet', async () => {
    const fay = fakeMember('fay');
    h.fake.memberJoins(fay);
    await flush();
    expect(h.fake.dmsTo(fay.user.id)).toEqual([]);
    expect(h.fake.requestsTo('POST', /^\/users\/@me\/channels$/)).toEqual([]);
  });

  it('records that someone left the group when they leave the server, keeping their history', async () => {
    await setUpGroup();
    const gus = fakeMember('gus');
    h.fake.memberJoins(gus);
    await flush();
    h.fake.memberLeaves(gus);
    await flush();
    const [member] = await h.db.db
      .select()
      .from(schema.members)
      .where(eq(schema.members.userId, gus.user.id));
    const [membership] = await h.db.db
      .select()
      .from(schema.groupMembers)
      .where(eq(schema.groupMembers.memberId, member!.id));
    expect(membership?.leftAt).toBeInstanceOf(Date);
  });

  it('does not welcome bots', async () => {
    await setUpGroup();
    const bot = fakeMember('otherbot', { bot: true });
    h.fake.memberJoins(bot);
    await flush();
    expect(h.fake.dmsTo(bot.user.id)).toEqual([]);
  });
});
