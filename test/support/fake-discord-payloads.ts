import {
  type APIChatInputApplicationCommandGuildInteraction,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  type APIUser,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  type GuildMemberFlags,
  InteractionContextType,
  InteractionType,
  Locale,
  type MessageFlags,
  MessageType,
  type ModalSubmitComponent,
  PermissionFlagsBits,
} from 'discord-api-types/v10';

/** Increasing snowflakes, so ids sort by creation like Discord's. */
let counter = 0n;
export function snowflake(): string {
  counter += 1n;
  return (((BigInt(Date.now()) - 1420070400000n) << 22n) | (counter & 0xfffn)).toString();
}

/** A person in the fake server: their user, nickname and server permissions. */
export interface FakeMember {
  readonly user: APIUser;
  readonly nick: string | null;
  /** Total permissions as Discord sends them in interactions (a decimal bitfield). */
  readonly permissions: string;
}

/** What an ordinary member may do: see channels, send messages, use application commands. */
const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;

export function fakeMember(
  username: string,
  options: { nick?: string; globalName?: string; manageServer?: boolean; bot?: boolean } = {},
): FakeMember {
  const permissions = MEMBER_PERMISSIONS | (options.manageServer ? PermissionFlagsBits.ManageGuild : 0n);
  return {
    user: {
      id: snowflake(),
      username,
      global_name: options.globalName ?? null,
      discriminator: '0',
      avatar: null,
      ...(options.bot ? { bot: true } : {}),
    },
    nick: options.nick ?? null,
    permissions: permissions.toString(),
  };
}

export function guildMember(member: FakeMember, joinedAt = new Date().toISOString()): APIGuildMember {
  return {
    user: member.user,
    nick: member.nick,
    roles: [],
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
  };
}

function interactionMember(member: FakeMember): APIInteractionGuildMember {
  return {
    ...guildMember(member, '2026-01-05T10:00:00.000Z'),
    permissions: member.permissions,
    user: member.user,
  };
}

export interface InteractionContext {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  /** In the bot's direct messages: no server and no member, only the user, as Discord sends it. */
  readonly dm?: boolean;
}

function base(ctx: InteractionContext, member: FakeMember) {
  if (ctx.dm) {
    return {
      id: snowflake(),
      application_id: ctx.applicationId,
      token: `itoken-${snowflake()}`,
      version: 1 as const,
      channel_id: ctx.channelId,
      channel: { id: ctx.channelId, type: ChannelType.DM as const },
      user: member.user,
      app_permissions: MEMBER_PERMISSIONS.toString(),
      locale: Locale.EnglishGB,
      entitlements: [],
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: ctx.guildId },
      context: InteractionContextType.BotDM,
      attachment_size_limit: 10_485_760,
    };
  }
  return {
    id: snowflake(),
    application_id: ctx.applicationId,
    token: `itoken-${snowflake()}`,
    version: 1 as const,
    guild_id: ctx.guildId,
    guild: { id: ctx.guildId, features: [], locale: Locale.EnglishGB },
    channel_id: ctx.channelId,
    channel: {
      id: ctx.channelId,
      type: ChannelType.GuildText as const,
      name: 'co-production',
      guild_id: ctx.guildId,
    },
    member: interactionMember(member),
    app_permissions: MEMBER_PERMISSIONS.toString(),
    locale: Locale.EnglishGB,
    guild_locale: Locale.EnglishGB,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: ctx.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10_485_760,
  };
}

export function chatInputInteraction(
  ctx: InteractionContext,
  member: FakeMember,
  command: { id: string; name: string },
  options: NonNullable<APIChatInputApplicationCommandGuildInteraction['data']['options']>,
  resolvedUsers: readonly FakeMember[],
): APIChatInputApplicationCommandGuildInteraction {
  const resolved =
    resolvedUsers.length > 0
      ? {
          users: Object.fromEntries(resolvedUsers.map((m) => [m.user.id, m.user])),
          members: Object.fromEntries(
            resolvedUsers.map((m) => {
              const { user: _user, deaf: _deaf, mute: _mute, ...rest } = interactionMember(m);
              return [m.user.id, rest];
            }),
          ),
        }
      : undefined;
  return {
    ...base(ctx, member),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: ctx.guildId,
      options,
      ...(resolved ? { resolved } : {}),
    },
  } as APIChatInputApplicationCommandGuildInteraction;
}

export function componentInteraction(
  ctx: InteractionContext,
  member: FakeMember,
  message: APIMessage,
  component: { customId: string; type: ComponentType.Button } | { customId: string; values: string[] },
): APIMessageComponentGuildInteraction {
  const data =
    'values' in component
      ? {
          component_type: ComponentType.StringSelect as const,
          custom_id: component.customId,
          values: component.values,
        }
      : { component_type: ComponentType.Button as const, custom_id: component.customId };
  return {
    ...base({ ...ctx, channelId: message.channel_id, dm: ctx.dm }, member),
    type: InteractionType.MessageComponent,
    message,
    data,
  } as APIMessageComponentGuildInteraction;
}

export function modalSubmitInteraction(
  ctx: InteractionContext,
  member: FakeMember,
  customId: string,
  components: ModalSubmitComponent[],
  message?: APIMessage,
): APIModalSubmitGuildInteraction {
  return {
    ...base(ctx, member),
    type: InteractionType.ModalSubmit,
    data: { custom_id: customId, components },
    ...(message ? { message } : {}),
  } as unknown as APIModalSubmitGuildInteraction;
}

/** A message as Discord returns it from REST and embeds it in component interactions. */
export function apiMessage(
  fields: Pick<APIMessage, 'id' | 'channel_id' | 'content' | 'author'> & Partial<APIMessage>,
): APIMessage {
  return {
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
    components: [],
    ...fields,
  };
}
