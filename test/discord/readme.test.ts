import { readFileSync } from 'node:fs';
import { GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { buildCommand } from '../../adapters/discord/commands.js';
import { INTENTS } from '../../adapters/discord/index.js';
import { INVITE_PERMISSIONS, inviteUrl } from '../../adapters/discord/invite.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { helpMessage } from '../../src/commands/help.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
// Compared with line breaks folded, so rewrapping the README does not break the test.
const section = readme
  .slice(readme.indexOf('## Connect to Discord'), readme.indexOf('## Development'))
  .replace(/\s+/g, ' ');

describe("README's Connect to Discord agrees with the adapter", () => {
  it('gives the invite address the adapter logs, with the same scopes and permissions', () => {
    expect(section).toContain(inviteUrl('APPLICATION_ID'));
    expect(INVITE_PERMISSIONS).toBe(
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.SendMessagesInThreads,
    );
    expect(section).toContain(`**${INVITE_PERMISSIONS}**`);
    expect(section).toContain(
      '**View Channels** (1024) plus **Send Messages** (2048) plus **Send Messages in Threads** (274877906944)',
    );
  });

  it('asks for the one privileged intent the adapter requests, and says why', () => {
    expect(INTENTS).toEqual([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    expect(section).toContain('switch on **Server Members Intent**');
    expect(section).toContain('the **Guilds** intent, which is not privileged');
    expect(section).toContain('set **Install Link** to **None**');
    expect(section).toContain('Leave **Presence Intent** and **Message Content Intent** off');
  });
});

describe('the Discord names of commands', () => {
  // Every command whose Discord name is not its name elsewhere, as the adapter registers it.
  const renamed = [...buildCommand(catalogue).routes]
    .map(([words, route]) => ({
      words,
      path: catalogue.find((spec) => spec.id === route.commandId)?.path.join(' '),
    }))
    .filter((r) => r.words !== r.path);

  it('are each given in README and in the help Discord shows', () => {
    expect(renamed.map((r) => r.words)).toContain('poll new');
    const help = helpMessage(catalogue, () => true, undefined, 'discord').text.replace(/\s+/g, ' ');
    for (const { words } of renamed) {
      expect(section).toContain(`\`/copro ${words}\``);
      expect(help).toContain(`/copro ${words}`);
    }
  });
});
