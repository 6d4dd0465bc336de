import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;
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

/** Runs a /copro command as a person and waits for the first thing they see. */
async function run(...args: Parameters<Harness['fake']['command']>) {
  const record = h.fake.command(...args);
  const [first] = await eventually(
    () => {
      const seen = h.fake.visible(record);
      return seen.length > 0 && seen;
    },
    `an answer to /copro ${args[1].join(' ')}`,
  );
  await h.discord.settled();
  return { record, answer: first!, all: h.fake.visible(record) };
}

describe('/copro on Discord, through the real core', () => {
  it('answers /copro help privately, in one direct reply', async () => {
    const { record, answer } = await run(BO, ['help']);
    expect(record.callbacks.map((c) => c.type)).toEqual([4]);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toContain('## What copro can do');
    expect(answer.content).toContain('/copro role add');
  });

  it('lets a server manager run setup: the group is stored and the channel is told', async () => {
    const { answer } = await run(ANN, ['setup'], { timezone: 'Europe/London' });
    expect(answer.flags & EPHEMERAL).toBe(0);
    expect(answer.content).toContain('is set up, with this channel as its home');
    expect(answer.content).toContain(`<@${ANN.user.id}> is the coordinator`);
    const [group] = await h.db.db.select().from(schema.groups);
    expect(group).toMatchObject({
      platform: 'discord',
      workspaceId: h.fake.guildId,
      homeChannelId: h.fake.channelId,
      name: '#co-production',
      timezone: 'Europe/London',
    });
    const [ann] = await h.db.db.select().from(schema.members).where(eq(schema.members.userId, ANN.user.id));
    expect(ann?.displayName).toBe('Ann');
  });

  it('refuses setup, plainly and privately, to a member without Manage Server', async () => {
    const { answer } = await run(BO, ['setup']);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toContain('Only a server manager can start a new copro group');
    expect(await h.db.db.select().from(schema.groups)).toEqual([]);
  });

  it('lets the coordinator add a role by mentioning someone, and /copro roles shows it', async () => {
    await run(ANN, ['setup']);
    const { answer } = await run(ANN, ['role', 'add'], { user: BO, role: 'researcher' });
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toBe(`Done: <@${BO.user.id}> is now a researcher.`);

    const [bo] = await h.db.db.select().from(schema.members).where(eq(schema.members.userId, BO.user.id));
    const held = await h.db.db
      .select()
      .from(schema.roleAssignments)
      .where(and(eq(schema.roleAssignments.memberId, bo!.id), isNull(schema.roleAssignments.removedAt)));
    expect(held.map((r) => r.roleKey)).toContain('researcher');

    const roles = await run(CY, ['roles']);
    expect(roles.answer.content).toContain('**researcher**');
    expect(roles.answer.content).toContain(`Held by: <@${BO.user.id}>`);
  });

  it('refuses role add to someone who is not a coordinator, naming who to ask', async () => {
    await run(ANN, ['setup']);
    const { answer } = await run(BO, ['role', 'add'], { user: CY, role: 'researcher' });
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toBe(
      `Only coordinators can use /copro role add. Ask <@${ANN.user.id}>, who coordinates this group.`,
    );
    expect(
      await h.db.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'role.add')),
    ).toEqual([]);
  });

  it('passes a poll\'s answers, typed with ";", to the core as one list', async () => {
    await run(ANN, ['setup']);
    const { answer } = await run(BO, ['poll', 'new'], { question: 'Which day?', options: 'Monday' });
    // One answer is not enough: the core's parser split the text and counted one item.
    expect(answer.content).toContain(
      'Please give between 2 and 20 answers, separated by semicolons (you gave one answer).',
    );
  });

  it('handles a repeated delivery of the same interaction once (the interaction id is the event id)', async () => {
    const first = h.fake.command(ANN, ['setup']);
    await eventually(() => h.fake.visible(first).length > 0, 'the first answer');
    await h.discord.settled();
    h.fake.gateway.dispatch({ t: 'INTERACTION_CREATE', d: first.payload } as never);
    await h.discord.settled();
    expect(h.fake.visible(first)).toHaveLength(1);
    expect(await h.db.db.select().from(schema.auditLog)).toHaveLength(1);
  });
});
