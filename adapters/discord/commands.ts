import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandSpec, OptionSpec } from '../../src/commands/types.js';
import { clip, LIMITS } from './limits.js';

export const COMMAND_NAME = 'copro';

/**
 * How a variadic option (the answers of a poll) is typed on Discord: one text box, items separated
 * by this character. The core's structured parser splits on it.
 */
export const VARIADIC_SEPARATOR = ';';

/** What the adapter needs to turn a chosen subcommand back into a catalogue entry. */
export interface CommandRoute {
  readonly commandId: string;
  /** Discord option name → catalogue option. */
  readonly options: ReadonlyMap<string, OptionSpec>;
}

export interface CommandDefinition {
  readonly body: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Keyed by the subcommand words as Discord sends them, e.g. "role add" or "poll new". */
  readonly routes: ReadonlyMap<string, CommandRoute>;
}

type Subcommand = APIApplicationCommandSubcommandOption;
type Group = APIApplicationCommandSubcommandGroupOption;

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/**
 * One `/copro` command from the catalogue. Discord allows a command word to be a subcommand or a
 * group, not both, so a catalogue path that is also the start of longer ones (`poll` beside
 * `poll close`) becomes a subcommand of its own group, named from its id (`poll new`,
 * `agenda show`). Throws when the catalogue cannot fit Discord's limits, so a bad catalogue fails
 * in tests rather than at registration.
 */
export function buildCommand(catalogue: readonly CommandSpec[]): CommandDefinition {
  const routes = new Map<string, CommandRoute>();
  const top: (Subcommand | Group)[] = [];
  const prefixes = new Set(catalogue.filter((s) => s.path.length > 1).map((s) => s.path[0]));

  for (const spec of catalogue) {
    const words = discordPath(spec, prefixes);
    const sub = subcommand(words[words.length - 1]!, spec);
    routes.set(words.join(' '), route(spec));
    if (words.length === 1) {
      top.push(sub);
      continue;
    }
    let group = top.find(
      (o): o is Group => o.name === words[0] && o.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!group) {
      group = {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: words[0]!,
        description: '',
        options: [],
      };
      top.push(group);
    }
    group.options!.push(sub);
  }
  for (const option of top) {
    if (option.type !== ApplicationCommandOptionType.SubcommandGroup) continue;
    const subs = option.options ?? [];
    option.description = clip(
      `/copro ${option.name} ${subs.map((s) => s.name).join(' | ')}`,
      LIMITS.commandDescription,
    );
    if (subs.length > LIMITS.commandOptions)
      throw new Error(`/copro ${option.name} has more than 25 subcommands.`);
  }
  if (top.length > LIMITS.commandOptions) throw new Error('/copro has more than 25 subcommands and groups.');

  const body: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND_NAME,
    description: 'copro helps your co-production group work together. Start with /copro help',
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: top,
  };
  const size = countedCharacters(body);
  if (size > 8000)
    throw new Error(`/copro would use ${size} characters; Discord allows 8000 in one command.`);
  return { body, routes };
}

function discordPath(spec: CommandSpec, prefixes: ReadonlySet<string | undefined>): string[] {
  let words = spec.path.map((w) => w.toLowerCase());
  // Discord nests two levels at most: `onboarding checklist add` becomes `onboarding checklist-add`.
  if (words.length === 3) words = [words[0]!, `${words[1]}-${words[2]}`];
  if (words.length === 1 && prefixes.has(words[0])) {
    const last = spec.id.split('.').pop()!.toLowerCase();
    words.push(last !== words[0] ? last : 'show');
  }
  if (words.length === 0 || words.length > 2) {
    throw new Error(`Command ${spec.id} has ${words.length} words; Discord allows one or two after /copro.`);
  }
  for (const word of words)
    if (!NAME.test(word)) throw new Error(`"${word}" (${spec.id}) is not a valid Discord name.`);
  return words;
}

function subcommand(name: string, spec: CommandSpec): Subcommand {
  const options = spec.options.map(option);
  if (options.length > LIMITS.commandOptions) throw new Error(`${spec.id} has more than 25 options.`);
  // Discord lists required options first and rejects a definition that does not.
  const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: clip(spec.summary, LIMITS.commandDescription),
    options: ordered,
  };
}

function option(spec: OptionSpec): APIApplicationCommandBasicOption {
  const name = spec.name.toLowerCase();
  if (!NAME.test(name)) throw new Error(`Option "${spec.name}" is not a valid Discord name.`);
  const required = Boolean(spec.required || (spec.variadic && spec.variadic.min > 0));
  const describe = (text: string) => clip(text, LIMITS.commandDescription);
  switch (spec.type) {
    case 'user':
      return {
        type: ApplicationCommandOptionType.User,
        name,
        description: describe(spec.description),
        required,
      };
    case 'integer':
      return {
        type: ApplicationCommandOptionType.Integer,
        name,
        description: describe(spec.description),
        required,
      };
    case 'flag':
      return {
        type: ApplicationCommandOptionType.Boolean,
        name,
        description: describe(spec.description),
        required,
      };
    default: {
      const description = spec.variadic
        ? `${spec.description}. Separate them with ${VARIADIC_SEPARATOR} like: A${VARIADIC_SEPARATOR} B${VARIADIC_SEPARATOR} C`
        : spec.description;
      // More than 25 fixed values cannot be offered as choices; the core still checks what is typed.
      const choices =
        spec.choices && spec.choices.length <= LIMITS.commandChoices
          ? spec.choices.map((c) => ({ name: clip(c, LIMITS.choiceName), value: c }))
          : undefined;
      return {
        type: ApplicationCommandOptionType.String,
        name,
        description: describe(description),
        required,
        ...(choices ? { choices } : {}),
      };
    }
  }
}

function route(spec: CommandSpec): CommandRoute {
  return { commandId: spec.id, options: new Map(spec.options.map((o) => [o.name.toLowerCase(), o])) };
}

/** Discord's 8,000-character budget: names, descriptions and choice values, all levels. */
function countedCharacters(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, item) => n + countedCharacters(item), 0);
  if (node === null || typeof node !== 'object') return 0;
  let total = 0;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'name' || key === 'description' || key === 'value') && typeof value === 'string')
      total += value.length;
    else total += countedCharacters(value);
  }
  return total;
}
