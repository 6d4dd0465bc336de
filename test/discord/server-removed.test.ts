import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverRemovedEvent } from '../../adapters/discord/inbound.js';
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

  it('stops the server’s work when Discord says copro was removed from it', async () => {
    await command(['setup']);
    await command(['poll', 'new'], {
      question: 'Which day suits you?',
      options: 'Monday; Friday',
      closes: '3d',
    });
    const pending = async () => (await rows(h.db, 'jobs')).filter((j) => j.status === 'pending');
    expect((await pending()).length).toBeGreaterThan(0);

    h.fake.gateway.dispatch({ t: 'GUILD_DELETE', d: { id: h.fake.guildId } } as never);
    for (let i = 0; i < 100 && (await pending()).some((j) => j.kind === 'poll.close'); i++)
      await new Promise((r) => setTimeout(r, 100));
    await h.discord.settled();
    expect(await rows(h.db, 'removed_workspaces')).toHaveLength(1);
    expect((await pending()).map((j) => j.kind)).toEqual(['privacy.erase-workspace']);
  });
});
