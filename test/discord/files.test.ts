import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FileAttachment, type Message, textMessage } from '../../src/chat/index.js';
import type { Feature } from '../../src/features.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

const calendar: FileAttachment = {
  name: 'meeting.ics',
  mimeType: 'text/calendar',
  title: 'Calendar entry for the March meeting',
  content: 'BEGIN:VCALENDAR\r\nSUMMARY:Steering group – March\r\nEND:VCALENDAR\r\n',
};
const withFile = (text: string): Message => ({ ...textMessage(text), files: [calendar] });

/** Test-only buttons that answer with a file, through discord.js, the adapter and the core. */
const fixture: Feature = {
  name: 'test files',
  actions: {
    'test.file-private': async ({ event }) => event.reply(withFile('Here is your calendar entry.')),
    'test.file-public': async ({ event }) =>
      event.reply(withFile('The calendar entry, for everyone.'), { private: false }),
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ extraFeatures: [fixture] });
});
beforeEach(async () => {
  await h.reset();
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  await h.discord.settled();
});
afterAll(async () => {
  await h.close();
});

async function buttonMessage(actionId: string) {
  const ref = await h.discord.post(
    { kind: 'channel', channelId: h.fake.channelId },
    {
      text: 'Calendar',
      blocks: [{ type: 'buttons', buttons: [{ actionId, label: 'Get the file', value: 'M1' }] }],
    },
  );
  return h.fake.messages.get(ref.messageId)!;
}

describe('sending files on Discord', () => {
  it('attaches a file to a channel post, with words saying what it is', async () => {
    await h.discord.post({ kind: 'channel', channelId: h.fake.channelId }, withFile('The March meeting.'));
    const [text, file] = h.fake.messagesIn(h.fake.channelId);
    expect(text?.content).toBe('The March meeting.');
    expect(file?.content).toBe('Attached: Calendar entry for the March meeting (meeting.ics)');
    expect(file?.files).toEqual([
      { name: 'meeting.ics', contentType: 'text/calendar', content: calendar.content },
    ]);
  });

  it('still sends files when another library set up the process’s HTTP dispatcher first', async () => {
    // Slack's Socket Mode brings a newer undici; whichever loads first becomes every undici's sender.
    const before = getGlobalDispatcher();
    setGlobalDispatcher(new Agent());
    try {
      await h.discord.post({ kind: 'channel', channelId: h.fake.channelId }, withFile('The March meeting.'));
    } finally {
      setGlobalDispatcher(before);
    }
    expect(h.fake.messagesIn(h.fake.channelId).at(-1)?.files[0]?.content).toBe(calendar.content);
  });

  it('sends the file of a private answer privately, after the answer', async () => {
    const click = h.fake.click(BO, await buttonMessage('test.file-private'), 'Get the file');
    await eventually(() => h.fake.visible(click).some((m) => m.files.length > 0), 'the file');
    await h.discord.settled();
    const shown = h.fake.visible(click);
    expect(shown.map((m) => m.content)).toEqual([
      'Here is your calendar entry.',
      'Attached: Calendar entry for the March meeting (meeting.ics)',
    ]);
    expect(shown.every((m) => (m.flags & EPHEMERAL) === EPHEMERAL)).toBe(true);
    expect(shown[1]?.files[0]?.content).toBe(calendar.content);
  });

  it('shares the file of a public answer with everyone', async () => {
    const click = h.fake.click(BO, await buttonMessage('test.file-public'), 'Get the file');
    await eventually(() => h.fake.visible(click).some((m) => m.files.length > 0), 'the file');
    const file = h.fake.visible(click).find((m) => m.files.length > 0);
    expect((file!.flags & EPHEMERAL) === 0).toBe(true);
  });
});
