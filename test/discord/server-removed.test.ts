import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverRemovedEvent } from '../../adapters/discord/inbound.js';
import { schema } from '../../db/client.js';
import { rows } from '../slack/harness.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, type Harness, startHarness } from './harness.js';

/** Discord telling copro it was removed from a server, through the real discord.js client. */
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

async function command(path: string[], options: Record<string, string> = {}) {
  const sent = h.fake.command(ANN, path, options);
  await eventually(() => h.fake.visible(sent).length > 0, path.join(' '));
  await h.discord.settled();
}

describe('a Discord server that removes copro', () => {
  it('reads an outage (GUILD_DELETE marked unavailable) as nothing, and a removal as the server’s', () => {
    expect(serverRemovedEvent({ id: '42', unavailable: true }, new Date())).toBeUndefined();
    expect(serverRemovedEvent({}, new Date())).toBeUndefined();
    expect(serverRemovedEvent({ id: '42' }, new Date('2026-11-23T10:00:00Z'))).toEqual({
      kind: 'workspaceRemoved',
      id: 'removed:42:2026-11-23T10:00:00.000Z',
      actor: { platform: 'discord', workspaceId: '42', userId: '', displayName: 'the server' },
    });
  });

  /** Another server with a group, a job planned and a message waiting: none of it may stop. */
  async function anotherServersWork() {
    const [other] = await h.db.db
      .insert(schema.groups)
      .values({ platform: 'discord', workspaceId: '999', homeChannelId: '998', name: 'Other server' })
      .returning();
    const later = new Date(Date.now() + 86_400_000);
    await h.db.db
      .insert(schema.jobs)
      .values({ kind: 'poll.close', key: 'other-server-poll', groupId: other!.id, runAt: later });
    await h.db.db.insert(schema.outbox).values({
      purpose: 'other-server-hello',
      recipient: 'discord:999:channel:998',
      platform: 'discord',
      destination: { kind: 'channel', workspaceId: '999', channelId: '998' } as never,
      message: { text: 'Hello' },
      groupId: other!.id,
      nextAttemptAt: later,
    });
    return other!.id;
  }

  async function until(probe: () => Promise<boolean>) {
    for (let i = 0; i < 150 && !(await probe()); i++) await new Promise((r) => setTimeout(r, 100));
  }

  const pending = async (table: 'jobs' | 'outbox') =>
    (await rows(h.db, table)).filter((r) => r.status === 'pending');

  async function setUpWithAPoll() {
    await command(['setup']);
    await command(['poll', 'new'], {
      question: 'Which day suits you?',
      options: 'Monday; Friday',
      closes: '3d',
    });
    expect((await pending('jobs')).some((j) => j.kind === 'poll.close')).toBe(true);
  }

  it('stops the server’s work, and only that server’s, when Discord says copro was removed from it', async () => {
    await setUpWithAPoll();
    const other = await anotherServersWork();

    expect(h.fake.serverGone()).toBe(1);
    await until(async () => (await rows(h.db, 'removed_workspaces')).length === 1);
    await h.discord.settled();
    const jobs = await pending('jobs');
    expect(jobs.filter((j) => j.group_id !== other).map((j) => j.kind)).toEqual(['privacy.erase-workspace']);
    expect(jobs.filter((j) => j.group_id === other).map((j) => j.key)).toEqual(['other-server-poll']);
    expect((await pending('outbox')).map((m) => m.purpose)).toEqual(['other-server-hello']);
  });

  it('carries on as before when Discord says the server is only unavailable (an outage)', async () => {
    await setUpWithAPoll();
    expect(h.fake.serverGone({ unavailable: true })).toBe(1);
    // A removal of another server after it shows the outage was read and passed over.
    expect(h.fake.serverGone({ guildId: '999' })).toBe(1);
    await until(async () => (await rows(h.db, 'removed_workspaces')).length === 1);
    await h.discord.settled();
    expect((await rows(h.db, 'removed_workspaces')).map((r) => r.workspace_id)).toEqual(['999']);
    expect((await pending('jobs')).some((j) => j.kind === 'poll.close')).toBe(true);
  });
});
