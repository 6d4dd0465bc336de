import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { EventHandler } from '../../src/chat/index.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { createInbox } from '../../src/inbox.js';
import { silentLogger } from '../../src/logger.js';
import { eventually } from '../support/fake-discord-driver.js';
import { fakeMember } from '../support/fake-discord-payloads.js';
import { ANN, type Harness, NO_IDENTIFY_WAIT, startHarness } from './harness.js';

/**
 * A live click shows its person is in the server (seen-members.ts), so copro need not ask
 * Discord. A click handled again after a restart shows only that they were, when they clicked:
 * someone who has left since must not be counted as in the server on its word.
 */
let h: Harness;
let restarted: DiscordPlatform | undefined;
let stalled = false;

const stallClicks =
  (handle: EventHandler): EventHandler =>
  (event) =>
    stalled && event.kind === 'action' ? new Promise(() => {}) : handle(event);

beforeAll(async () => {
  h = await startHarness({ wrap: stallClicks, tuning: { deferAfterMs: 100, stopGraceMs: 100 } });
});
afterAll(async () => {
  await restarted?.stop();
  await h.close();
});

describe('a click handled again after a restart, from someone who has left the server since', () => {
  it('is not counted: Discord is asked whether they are in the server', async () => {
    const setup = h.fake.command(ANN, ['setup']);
    await eventually(() => h.fake.visible(setup).length > 0, 'setup');
    const poll = h.fake.command(ANN, ['poll', 'new'], { question: 'Tea or coffee?', options: 'Tea; Coffee' });
    await eventually(() => h.fake.visible(poll).length > 0, 'the poll to be started');
    await h.discord.settled();
    await h.dispatcher.dispatchDue();
    const [posted] = h.fake.messagesIn(h.fake.channelId);
    if (!posted) throw new Error('the poll was not posted');

    // Someone copro has never seen join clicks, and the process stops before the vote is stored.
    const leaver = fakeMember('leaver');
    stalled = true;
    const click = h.fake.click(leaver, posted, 'Tea');
    await eventually(() => click.callbacks.length > 0, 'the click to be acknowledged');
    await h.discord.stop();
    stalled = false;
    // They leave the server before copro starts again.
    h.fake.outsiders.add(leaver.user.id);

    restarted = createDiscordPlatform(
      { token: h.fake.token, applicationId: h.fake.applicationId, apiUrl: h.fake.apiUrl },
      { logger: silentLogger(), catalogue, inbox: createInbox(h.db.db) },
      { ws: NO_IDENTIFY_WAIT },
    );
    h.deps.platforms.discord = restarted;
    await restarted.start(createApp(h.deps).handle);
    await restarted.settled();

    expect(await h.db.db.select().from(schema.pollVotes)).toEqual([]);
    expect(await h.db.db.select().from(schema.inbox)).toEqual([]);
    expect(h.fake.requestsTo('GET', new RegExp(`/members/${leaver.user.id}$`))).not.toEqual([]);
    const followUps = h.fake.requestsTo('POST', new RegExp(`/webhooks/\\d+/${click.payload.token}$`));
    expect(followUps.map((f) => f.body.content)).toEqual([
      expect.stringMatching(
        /^Only members of #co-production can take part in its polls.* Nothing was recorded\./,
      ),
    ]);
  });
});
