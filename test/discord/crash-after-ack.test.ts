import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { EventHandler } from '../../src/chat/index.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { createInbox } from '../../src/inbox.js';
import { silentLogger } from '../../src/logger.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, NO_IDENTIFY_WAIT, startHarness } from './harness.js';

/**
 * A click Discord showed as accepted (the adapter deferred it because the core was slow), then
 * the process stopped before the vote was stored. The next start finds it in the inbox, stores
 * the vote once, and updates the poll through the interaction's webhook.
 */
let h: Harness;
let restarted: DiscordPlatform | undefined;
let stalled = false;

const stallClicks =
  (handle: EventHandler): EventHandler =>
  (event) =>
    // The core never gets to commit: as if the process died in the middle of the work.
    stalled && event.kind === 'action' ? new Promise(() => {}) : handle(event);

beforeAll(async () => {
  // The stalled click never finishes, so stop() waits out its grace: a crash would not wait at all.
  h = await startHarness({ wrap: stallClicks, tuning: { deferAfterMs: 100, stopGraceMs: 100 } });
});
afterAll(async () => {
  await restarted?.stop();
  await h.close();
});

describe('a click acknowledged just before a crash', () => {
  it('is kept before Discord is told anything, and counted once after a restart', async () => {
    const setup = h.fake.command(ANN, ['setup']);
    await eventually(() => h.fake.visible(setup).length > 0, 'setup');
    const poll = h.fake.command(ANN, ['poll', 'new'], { question: 'Tea or coffee?', options: 'Tea; Coffee' });
    await eventually(() => h.fake.visible(poll).length > 0, 'the poll to be started');
    await h.discord.settled();
    await h.dispatcher.dispatchDue();
    const [posted] = h.fake.messagesIn(h.fake.channelId);
    if (!posted) throw new Error('the poll was not posted');

    stalled = true;
    const click = h.fake.click(BO, posted, 'Tea');
    await eventually(() => click.callbacks.length > 0, 'the click to be acknowledged');
    expect(click.callbacks[0]?.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(await h.db.db.select().from(schema.inbox)).toHaveLength(1);
    expect(await h.db.db.select().from(schema.pollVotes)).toEqual([]);

    await h.discord.stop();
    stalled = false;
    restarted = createDiscordPlatform(
      { token: h.fake.token, applicationId: h.fake.applicationId, apiUrl: h.fake.apiUrl },
      { logger: silentLogger(), catalogue, inbox: createInbox(h.db.db) },
      { ws: NO_IDENTIFY_WAIT },
    );
    h.deps.platforms.discord = restarted;
    await restarted.start(createApp(h.deps).handle);
    await restarted.settled();

    const votes = await h.db.db.select().from(schema.pollVotes);
    expect(votes).toHaveLength(1);
    expect(await h.db.db.select().from(schema.inbox)).toEqual([]);
    // The answer still reaches the person, privately, through the interaction's webhook.
    const followUps = h.fake.requestsTo('POST', new RegExp(`/webhooks/\\d+/${click.payload.token}$`));
    expect(followUps.map((f) => f.body.content)).toEqual([
      'Thank you. You voted "Tea" on "Tea or coffee?". You can change your vote until the poll closes.',
    ]);
  });
});
