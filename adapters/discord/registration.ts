import {
  type APIApplicationCommand,
  type APIPartialGuild,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';

export interface RegistrationResult {
  readonly result: 'unchanged' | 'registered';
  /** Where an older `/copro` was removed: "global", or the ids of servers. */
  readonly removedFrom: readonly string[];
}

/**
 * Registers `/copro` in one server (instant) or globally. Discord limits how many commands an
 * application may create a day, so the definition is only written when the registered one
 * differs; a restart with the same catalogue writes nothing. A bulk overwrite also removes
 * commands an older version registered.
 *
 * A command registered in the other scope stays until removed, and members would then see two
 * `/copro`; so registering in a server removes the global one, and registering globally removes
 * the one in each server copro is in.
 */
export async function registerCommand(
  rest: REST,
  scope: { readonly applicationId: string; readonly guildId?: string },
  body: RESTPostAPIChatInputApplicationCommandsJSONBody,
): Promise<RegistrationResult> {
  const { applicationId, guildId } = scope;
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.get(route)) as APIApplicationCommand[];
  let result: RegistrationResult['result'] = 'unchanged';
  if (registered.length !== 1 || !sameDefinition(registered[0]!, body)) {
    await rest.put(route, { body: [body] });
    result = 'registered';
  }
  const removedFrom: string[] = [];
  if (guildId) {
    if (
      await removeCopro(rest, Routes.applicationCommands(applicationId), body.name, (id) =>
        Routes.applicationCommand(applicationId, id),
      )
    )
      removedFrom.push('global');
  } else {
    const guilds = (await rest.get(Routes.userGuilds())) as APIPartialGuild[];
    for (const guild of guilds) {
      const removed = await removeCopro(
        rest,
        Routes.applicationGuildCommands(applicationId, guild.id),
        body.name,
        (id) => Routes.applicationGuildCommand(applicationId, guild.id, id),
      );
      if (removed) removedFrom.push(guild.id);
    }
  }
  return { result, removedFrom };
}

async function removeCopro(
  rest: REST,
  list: `/${string}`,
  name: string,
  one: (id: string) => `/${string}`,
): Promise<boolean> {
  const commands = (await rest.get(list)) as APIApplicationCommand[];
  const stale = commands.filter((c) => c.name === name);
  for (const command of stale) await rest.delete(one(command.id));
  return stale.length > 0;
}

/** Compares only what copro sets, with Discord's defaults filled in on both sides. */
export function sameDefinition(
  registered: APIApplicationCommand | RESTPostAPIChatInputApplicationCommandsJSONBody,
  wanted: RESTPostAPIChatInputApplicationCommandsJSONBody,
): boolean {
  return JSON.stringify(canonicalCommand(registered)) === JSON.stringify(canonicalCommand(wanted));
}

// biome-ignore lint/suspicious/noExplicitAny: both shapes are read field by field into one canonical form
type Loose = any;

function canonicalCommand(c: Loose) {
  return {
    type: c.type ?? 1,
    name: c.name,
    description: c.description ?? '',
    default_member_permissions: c.default_member_permissions ?? null,
    nsfw: Boolean(c.nsfw),
    contexts: c.contexts ?? null,
    integration_types: c.integration_types ?? [0],
    options: canonicalOptions(c.options),
  };
}

function canonicalOptions(options: Loose[] | undefined): unknown[] {
  return (options ?? []).map((o) => ({
    type: o.type,
    name: o.name,
    description: o.description ?? '',
    required: Boolean(o.required),
    autocomplete: Boolean(o.autocomplete),
    choices: (o.choices ?? []).map((ch: Loose) => ({ name: ch.name, value: ch.value })),
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    min_length: o.min_length ?? null,
    max_length: o.max_length ?? null,
    options: canonicalOptions(o.options),
  }));
}
