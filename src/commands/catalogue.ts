import { buddiesCommands } from './catalogue/buddies.js';
import { groupsCommands } from './catalogue/groups.js';
import { involvementCommands } from './catalogue/involvement.js';
import { meetingsCommands } from './catalogue/meetings.js';
import { onboardingCommands } from './catalogue/onboarding.js';
import { pollsCommands } from './catalogue/polls.js';
import { recordsCommands } from './catalogue/records.js';
import type { CommandSpec } from './types.js';

/**
 * The command contract. The parser, the help text, Discord's command registration and the
 * console all come from this one list, so a command cannot exist in one place and not another.
 * Entries are kept by area in ./catalogue/; their order here is the order help lists them in.
 */
export const catalogue = [
  ...groupsCommands,
  ...onboardingCommands,
  ...buddiesCommands,
  ...meetingsCommands,
  ...pollsCommands,
  ...recordsCommands,
  ...involvementCommands,
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof catalogue)[number]['id'];

export function findSpec(id: string): CommandSpec | undefined {
  return catalogue.find((c) => c.id === id);
}
