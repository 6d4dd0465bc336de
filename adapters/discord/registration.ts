import {
  type APIApplicationCommand,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';

export type RegistrationResult = 'unchanged' | 'registered';

/**
 * Registers `/copro` in one server (instant) or globally. Discord limits how many commands an
 * application may create a day, so the definition is only written when the registered one
 * differs; a restart with the same catalogue writes nothing. A bulk overwrite also removes
 * commands an older version registered.
 */
export async function registerCommand(
  rest: REST,
  scope: { readonly applicationId: string; readonly guildId?: string },
  body: RESTPostAPIChatInputApplicationCommandsJSONBody,
): Promise<RegistrationResult> {
  const route = scope.guildId
    ? Routes.applicationGuildCommands(scope.applicationId, scope.guildId)
    : Routes.applicationCommands(scope.applicationId);
  const registered = (await rest.get(route)) as APIApplicationCommand[];
  if (registered.length === 1 && sameDefinition(registered[0]!, body)) return 'unchanged';
  await rest.put(route, { body: [body] });
  return 'registered';
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
