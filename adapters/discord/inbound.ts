import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteractionData,
  type APIInteraction,
  type APIUser,
  ApplicationCommandOptionType,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  PermissionFlagsBits,
} from 'discord.js';
import type {
  Actor,
  CommandInput,
  MemberJoinedEvent,
  MemberLeftEvent,
  WorkspaceRemovedEvent,
} from '../../src/chat/index.js';
import type { CommandRoute } from './commands.js';

/**
 * The person behind an interaction in a server, or in a direct message whose controls name their
 * server (`scope`). Undefined otherwise: copro's command is registered for servers only.
 */
export function actorOf(interaction: APIInteraction, scope?: string): Actor | undefined {
  const member = interaction.member;
  if (!interaction.guild_id && scope && interaction.user) {
    return {
      platform: 'discord',
      workspaceId: scope,
      userId: interaction.user.id,
      // A DM carries no server nickname: the name kept from the server stays.
      displayName: displayName(interaction.user),
      displayNameOutsideGroup: true,
    };
  }
  if (!interaction.guild_id || !member) return undefined;
  const permissions = BigInt(member.permissions);
  return {
    platform: 'discord',
    workspaceId: interaction.guild_id,
    userId: member.user.id,
    displayName: displayName(member.user, member.nick),
    // Only used to let a server manager start a group; the role registry decides the rest.
    isPlatformAdmin:
      (permissions & PermissionFlagsBits.ManageGuild) !== 0n ||
      (permissions & PermissionFlagsBits.Administrator) !== 0n,
  };
}

export function displayName(user: APIUser, nick?: string | null): string {
  return nick || user.global_name || user.username;
}

/** The channel name Discord sent with the interaction, used to name a new group. */
export function channelNameOf(interaction: APIInteraction): string | undefined {
  const channel = interaction.channel as { name?: string | null } | undefined;
  return channel?.name ?? undefined;
}

/**
 * The chosen subcommand and its options, keyed by the catalogue's option names. Users arrive as
 * ids and are passed on as mentions (<@id>), the form every adapter gives the core.
 */
export function commandInput(
  data: APIChatInputApplicationCommandInteractionData,
  routes: ReadonlyMap<string, CommandRoute>,
): CommandInput | undefined {
  const words: string[] = [];
  let options: readonly APIApplicationCommandInteractionDataOption[] = data.options ?? [];
  for (;;) {
    const [first] = options;
    if (
      !first ||
      (first.type !== ApplicationCommandOptionType.Subcommand &&
        first.type !== ApplicationCommandOptionType.SubcommandGroup)
    ) {
      break;
    }
    words.push(first.name);
    options = first.options ?? [];
  }
  const route = routes.get(words.join(' '));
  if (!route) return undefined;
  const values: Record<string, string | number | boolean> = {};
  for (const option of options) {
    const spec = route.options.get(option.name);
    if (!spec || !('value' in option)) continue;
    values[spec.name] =
      option.type === ApplicationCommandOptionType.User ? `<@${option.value}>` : option.value;
  }
  return { kind: 'structured', commandId: route.commandId, options: values };
}

/** Someone joined the server. GUILD_MEMBER_ADD has no id of its own: server, person and time make one. */
export function memberJoinedEvent(data: GatewayGuildMemberAddDispatchData): MemberJoinedEvent | undefined {
  if (!data.user || data.user.bot) return undefined;
  return {
    kind: 'memberJoined',
    id: `join:${data.guild_id}:${data.user.id}:${data.joined_at}`,
    actor: {
      platform: 'discord',
      workspaceId: data.guild_id,
      userId: data.user.id,
      displayName: displayName(data.user, data.nick),
      isPlatformAdmin: false,
    },
  };
}

/** Someone left the server. Discord sends no time with it, so the time it arrived stands in. */
export function memberLeftEvent(
  data: GatewayGuildMemberRemoveDispatchData,
  at: Date,
): MemberLeftEvent | undefined {
  if (data.user.bot) return undefined;
  return {
    kind: 'memberLeft',
    id: `leave:${data.guild_id}:${data.user.id}:${at.toISOString()}`,
    actor: {
      platform: 'discord',
      workspaceId: data.guild_id,
      userId: data.user.id,
      displayName: displayName(data.user),
      isPlatformAdmin: false,
    },
  };
}

/**
 * The bot was removed from a server (kicked, or the server deleted). GUILD_DELETE with
 * `unavailable` is an outage instead, and says nothing about copro being wanted.
 */
export function serverRemovedEvent(data: unknown, at: Date): WorkspaceRemovedEvent | undefined {
  const guild = data as { readonly id?: unknown; readonly unavailable?: unknown } | null;
  if (typeof guild?.id !== 'string' || guild.unavailable === true) return undefined;
  return {
    kind: 'workspaceRemoved',
    id: `removed:${guild.id}:${at.toISOString()}`,
    actor: { platform: 'discord', workspaceId: guild.id, userId: '', displayName: 'the server' },
  };
}
