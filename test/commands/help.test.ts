import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/commands/catalogue.js';
import { helpMessage } from '../../src/commands/help.js';

const built = new Set(['help', 'poll.new', 'poll.close', 'polls', 'poll.starters']);
const help = (topic?: string) => helpMessage(catalogue, (id) => built.has(id), topic).text;

describe('/copro help', () => {
  it('says once, and consistently, who may close a poll', () => {
    const text = help('poll close')
      .split('\n\n')
      .find((section) => section.startsWith('/copro poll close'));
    expect(text).toContain(
      'Close a poll now and post its results. The person who started the poll, or a coordinator, can use it.',
    );
    expect(text).not.toContain('Any member of the group can use it');
  });

  it('still says that any member may start a poll', () => {
    expect(help('poll')).toContain('Ask the group a question. Any member of the group can use it.');
  });

  it('explains only the command asked about, and a whole family when asked by its first word', () => {
    const pause = help('buddy pause');
    expect(pause).toContain('/copro buddy pause 4w');
    expect(pause).not.toContain('/copro buddy opt-in');
    const run = help('/copro match run');
    expect(run).toContain('Pair buddies now.');
    expect(run).not.toContain('/copro match pin');
    const buddy = help('buddy');
    for (const sub of ['opt-in', 'pause 4w', 'avoid @person']) expect(buddy).toContain(`/copro buddy ${sub}`);
    expect(help('buddy holiday')).toContain('/copro buddy opt-in');
  });

  it('says who may start a group as each platform checks it: admins on Slack and Discord, anyone in the terminal', () => {
    const setupOn = (platform: 'slack' | 'discord' | 'console') =>
      helpMessage(catalogue, () => true, 'setup', platform).text;
    expect(setupOn('slack')).toContain(
      'A workspace admin, or the person who created the channel, can use it.',
    );
    expect(setupOn('discord')).toContain('A server manager (someone with Manage Server) can use it.');
    expect(setupOn('console')).toContain('Anyone can use it.');
    for (const platform of ['slack', 'discord'] as const)
      expect(setupOn(platform)).not.toContain('Anyone can use it');
  });
});
