import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANN, type Harness, rows, startHarness } from './harness.js';

/** Slack telling copro that the workspace uninstalled it, through the real Bolt app. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.reset();
  await h.driver.command('setup', { userId: ANN.id });
  await h.driver.command('poll "Which day suits you?" "Monday" "Friday" --closes 3d', { userId: ANN.id });
  await h.slack.settled();
});
afterAll(async () => {
  await h.close();
});

const pending = async () => (await rows(h.db, 'jobs')).filter((j) => j.status === 'pending');

describe('a Slack workspace that removes copro', () => {
  it('stops the workspace’s work when Slack says the app was uninstalled', async () => {
    expect((await pending()).length).toBeGreaterThan(0);
    await h.driver.event({ type: 'app_uninstalled' });
    await h.slack.settled();
    expect(await rows(h.db, 'removed_workspaces')).toEqual([
      expect.objectContaining({ workspace_id: 'T0FAKE' }),
    ]);
    expect((await pending()).map((j) => j.kind)).toEqual(['privacy.erase-workspace']);
  });

  it('stops it when the bot token is revoked, and not when only a person’s token is', async () => {
    await h.driver.event({ type: 'tokens_revoked', tokens: { oauth: ['U0ANN'] } });
    await h.slack.settled();
    expect(await rows(h.db, 'removed_workspaces')).toEqual([]);
    await h.driver.event({ type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } });
    await h.slack.settled();
    expect(await rows(h.db, 'removed_workspaces')).toHaveLength(1);
  });
});

describe('one person typing commands one after another', () => {
  it('has them handled in the order typed: a poll straight after setup lands in the new group', async () => {
    await h.reset();
    // Someone copro has not met: Slack is slow to say who they are for the first command only.
    h.fake.addUser({ id: 'UDAN', name: 'dan', isAdmin: true });
    h.fake.failNext('users.info', { delayMs: 500 });
    await h.driver.command('setup', { userId: 'UDAN' });
    await h.driver.command('poll "Lunch?" "Yes" "No" --closes 3d', { userId: 'UDAN' });
    await h.slack.settled();
    expect(await rows(h.db, 'polls')).toHaveLength(1);
  });
});
