import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../adapters/slack/credentials.js';
import { type FileAttachment, type Message, textMessage } from '../../src/chat/index.js';
import type { Feature } from '../../src/features.js';
import { BO, type Harness, startHarness } from './harness.js';

const calendar: FileAttachment = {
  name: 'meeting.ics',
  mimeType: 'text/calendar',
  title: 'Calendar entry for the March meeting',
  content: 'BEGIN:VCALENDAR\r\nSUMMARY:Steering group – March\r\nEND:VCALENDAR\r\n',
};
const withFile = (text: string): Message => ({ ...textMessage(text), files: [calendar] });

/** Test-only buttons and a form that answer with a file, through the real core and Bolt. */
const fixture: Feature = {
  name: 'test files',
  actions: {
    'test.file-private': async ({ event }) => event.reply(withFile('Here is your calendar entry.')),
    'test.file-public': async ({ event }) =>
      event.reply(withFile('The calendar entry, for everyone.'), { private: false }),
  },
  forms: {
    'test.file-form': async ({ event }) => {
      await event.reply(withFile('Saved. Here is your calendar entry.'));
      return undefined;
    },
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ extraFeatures: [fixture] });
});
beforeEach(async () => {
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

describe('sending files on Slack', () => {
  it('attaches a file to a channel post, uploaded whole with its title', async () => {
    await h.slack.post({ kind: 'channel', channelId: 'C1' }, withFile('The March meeting.'));
    expect(h.fake.callsTo('chat.postMessage')[0]?.body.text).toBe('The March meeting.');
    expect(h.fake.sharedFiles()).toEqual([
      {
        channelId: 'C1',
        filename: 'meeting.ics',
        title: 'Calendar entry for the March meeting',
        content: calendar.content,
      },
    ]);
  });

  it("puts a file added by an edit in the message's thread, since an edit cannot carry one", async () => {
    const ref = await h.slack.post({ kind: 'channel', channelId: 'C1' }, textMessage('The March meeting.'));
    await h.slack.update(ref, withFile('The March meeting, moved to 3pm.'));
    expect(h.fake.sharedFiles()).toMatchObject([{ channelId: 'C1', threadTs: ref.messageId }]);
  });

  it('sends the file of a private answer to the person’s DM, and the answer says where it went', async () => {
    const { responseId } = await h.driver.click({ user: BO, actionId: 'test.file-private', value: 'x' });
    await h.slack.settled();
    const answer = h.fake.callsTo('response_url').find((c) => c.responseUrlId === responseId);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(answer?.body.text).toContain('I have sent you the file in your direct messages with copro.');
    expect(h.fake.sharedFiles()).toEqual([
      expect.objectContaining({ channelId: `D${BO.id}`, filename: 'meeting.ics', content: calendar.content }),
    ]);
  });

  it('shares the file of a public answer in the channel it was asked in', async () => {
    await h.driver.click({ user: BO, actionId: 'test.file-public', value: 'x', channelId: 'C0HOME' });
    await h.slack.settled();
    expect(h.fake.sharedFiles()).toEqual([expect.objectContaining({ channelId: 'C0HOME' })]);
    const answer = h.fake.callsTo('response_url')[0];
    expect(answer?.body.text).not.toContain('direct messages');
  });

  it('sends the file of an answer to a form to the person’s DM', async () => {
    const res = await h.driver.submit({
      user: BO,
      callbackId: 'test.file-form',
      privateMetadata: JSON.stringify({ c: 'C0HOME' }),
      values: {},
    });
    expect(res.status).toBe(200);
    await h.slack.settled();
    const ephemeral = h.fake.callsTo('chat.postEphemeral')[0];
    expect(ephemeral?.body.text).toContain('direct messages with copro');
    expect(h.fake.sharedFiles()).toEqual([expect.objectContaining({ channelId: `D${BO.id}` })]);
  });

  it('reports an upload refused for want of files:write as a delivery that will not succeed', async () => {
    h.fake.grantScopes(['commands', 'chat:write', 'im:write']);
    try {
      const sent = h.slack.post({ kind: 'channel', channelId: 'C1' }, withFile('The March meeting.'));
      await expect(sent).rejects.toMatchObject({ reason: 'rejected' });
    } finally {
      h.fake.grantScopes(SLACK_BOT_SCOPES);
    }
  });
});
