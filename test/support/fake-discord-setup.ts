import {
  type APIOverwrite,
  type APIUser,
  ApplicationFlags,
  GatewayIntentBits,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { Answer } from './fake-discord-messages.js';

/** The server as Discord describes it to its bot: who the bot is, its role, and the group's channel. */
export interface SetupState {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly botUser: APIUser;
  readonly privilegedIntents: number;
  /** What copro's own role allows server-wide (from the invite); default: what the invite asks for. */
  botPermissions: bigint;
  /** The group's channel's permission overwrites (a private channel denies @everyone View Channel). */
  channelOverwrites: APIOverwrite[];
  /** Whether the bot has been added to the server at all. */
  inGuild: boolean;
}

export const BOT_ROLE_SUFFIX = '9';

export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads;

const notFound = (message: string, code: number): Answer => [404, { message, code }];
const missingAccess: Answer = [403, { message: 'Missing Access', code: 50001 }];

/**
 * The read-only routes a setup check asks: the bot user, its application (with the intent
 * flags Discord sets when the Developer Portal switches are on), its servers, a server's roles, the
 * bot as a member, and a channel with its overwrites. Undefined when the route is not one of them.
 */
export function setupRoute(state: SetupState, method: string, seg: readonly string[]): Answer | undefined {
  if (method !== 'GET') return undefined;
  const botRoleId = `${state.guildId}${BOT_ROLE_SUFFIX}`;
  const path = seg.join('/');
  if (path === 'users/@me') return [200, state.botUser];
  if (path === 'users/@me/guilds') {
    return [200, state.inGuild ? [{ id: state.guildId, name: 'Leaflet review group', icon: null }] : []];
  }
  if (path === 'applications/@me') {
    const members = state.privilegedIntents & GatewayIntentBits.GuildMembers;
    return [
      200,
      {
        id: state.applicationId,
        name: 'copro',
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        flags: members ? ApplicationFlags.GatewayGuildMembersLimited : 0,
        bot: state.botUser,
      },
    ];
  }
  if (seg[0] === 'guilds') {
    if (seg[1] !== state.guildId) return notFound('Unknown Guild', 10004);
    if (!state.inGuild) return missingAccess;
    if (seg.length === 2) {
      return [
        200,
        {
          id: state.guildId,
          name: 'Leaflet review group',
          owner_id: '1',
          roles: [
            { id: state.guildId, name: '@everyone', permissions: String(PermissionFlagsBits.ViewChannel) },
            { id: botRoleId, name: 'copro', permissions: String(state.botPermissions), managed: true },
          ],
        },
      ];
    }
    if (seg[2] === 'members' && seg[3] === state.botUser.id) {
      return [200, { user: state.botUser, roles: [botRoleId], joined_at: new Date().toISOString() }];
    }
    return notFound('Unknown Member', 10007);
  }
  if (seg[0] === 'channels' && seg.length === 2) {
    if (seg[1] !== state.channelId) return notFound('Unknown Channel', 10003);
    if (!state.inGuild || !botSeesChannel(state, botRoleId)) return missingAccess;
    return [
      200,
      {
        id: state.channelId,
        type: 0,
        name: 'co-production',
        guild_id: state.guildId,
        permission_overwrites: state.channelOverwrites,
      },
    ];
  }
  return undefined;
}

/** A channel whose overwrites hide it from @everyone is seen only by a role or member let back in. */
function botSeesChannel(state: SetupState, botRoleId: string): boolean {
  const view = PermissionFlagsBits.ViewChannel;
  const hidden = state.channelOverwrites.some((o) => o.id === state.guildId && BigInt(o.deny) & view);
  const letIn = state.channelOverwrites.some(
    (o) => (o.id === botRoleId || o.id === state.botUser.id) && BigInt(o.allow) & view,
  );
  return !hidden || letIn;
}
