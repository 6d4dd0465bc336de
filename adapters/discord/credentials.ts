import {
  type APIApplication,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIOverwrite,
  type APIUser,
  ApplicationFlags,
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  REST,
} from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import { type CheckResult, unreachableReason } from '../../src/setup-check.js';
import { viaFetch } from './fetch.js';
import { inviteUrl } from './invite.js';

const PORTAL = 'https://discord.com/developers/applications';
const MEMBERS_INTENT = ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited;
const THREADS = new Set<number>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/**
 * The setup check for Discord: the token, that DISCORD_APPLICATION_ID is the token's application,
 * the Server Members intent, the server in DISCORD_GUILD_ID, and what copro may do in each
 * group's channel. Every answer comes from Discord's REST API; nothing connects to the gateway.
 */
export async function checkDiscordSetup(
  config: DiscordConfig,
  homeChannelIds: readonly string[],
): Promise<CheckResult[]> {
  const rest = new REST({
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    retries: 0,
    timeout: 10_000,
    makeRequest: viaFetch,
  });
  rest.setToken(config.token);
  const results: CheckResult[] = [];

  let bot: APIUser;
  try {
    bot = (await rest.get('/users/@me')) as APIUser;
    results.push({
      subject: 'Discord token (DISCORD_TOKEN)',
      ok: true,
      detail: `accepted: the bot is ${bot.username}`,
    });
  } catch (error) {
    const refused = error instanceof DiscordAPIError && error.status === 401;
    results.push({
      subject: 'Discord token (DISCORD_TOKEN)',
      ok: false,
      detail: refused
        ? `Discord did not accept it. At ${PORTAL}, open copro, then "Bot" → "Reset Token", and set the new token as DISCORD_TOKEN.`
        : unreachable(config, error),
    });
    return results;
  }

  const app = (await rest.get('/applications/@me')) as APIApplication;
  results.push(
    app.id === config.applicationId
      ? {
          subject: 'Discord application (DISCORD_APPLICATION_ID)',
          ok: true,
          detail: `${app.id} (${app.name})`,
        }
      : {
          subject: 'Discord application (DISCORD_APPLICATION_ID)',
          ok: false,
          detail:
            `is ${config.applicationId}, but the token belongs to the application ${app.id} (${app.name}). ` +
            `At ${PORTAL}, open that application, then "General Information" → "Application ID", and set it as DISCORD_APPLICATION_ID.`,
        },
  );
  const members = ((app.flags ?? 0) & MEMBERS_INTENT) !== 0;
  results.push({
    subject: 'Discord Server Members intent',
    ok: members,
    detail: members
      ? 'on: copro is told when people join, to welcome them'
      : `off. At ${PORTAL}, open copro, then "Bot" → "Privileged Gateway Intents", switch on "Server Members Intent" and choose "Save Changes".`,
  });

  if (config.guildId) results.push(await guildResult(rest, config.guildId, config.applicationId));
  if (homeChannelIds.length === 0) {
    results.push({
      subject: "Discord groups' channels",
      ok: true,
      detail: 'no group yet: once copro runs, type /copro setup in the channel your group will use',
    });
  }
  for (const channelId of homeChannelIds) results.push(await channelResult(rest, channelId, bot.id));
  return results;
}

async function guildResult(rest: REST, guildId: string, applicationId: string): Promise<CheckResult> {
  const subject = 'Discord server (DISCORD_GUILD_ID)';
  try {
    const guild = (await rest.get(`/guilds/${guildId}`)) as APIGuild;
    return { subject, ok: true, detail: `copro is in "${guild.name}"` };
  } catch (error) {
    return {
      subject,
      ok: false,
      detail:
        `copro is not in the server ${guildId} (${reason(error)}). Invite it with ${inviteUrl(applicationId)}, ` +
        'or check the id: right-click the server icon → "Copy Server ID".',
    };
  }
}

async function channelResult(rest: REST, channelId: string, botId: string): Promise<CheckResult> {
  const subject = `Discord channel <#${channelId}>`;
  let channel: ChannelView;
  try {
    channel = (await rest.get(`/channels/${channelId}`)) as ChannelView;
  } catch (error) {
    return {
      subject,
      ok: false,
      detail:
        `copro cannot see this group's channel (${reason(error)}). If it is private, right-click it → "Edit Channel" → ` +
        '"Permissions" → "Add members or roles" → copro; if copro has left the server, invite it again.',
    };
  }
  const thread = THREADS.has(channel.type);
  const where =
    thread && channel.parent_id
      ? ((await rest.get(`/channels/${channel.parent_id}`)) as ChannelView)
      : channel;
  const guildId = channel.guild_id as string;
  const [guild, member] = (await Promise.all([
    rest.get(`/guilds/${guildId}`),
    rest.get(`/guilds/${guildId}/members/${botId}`),
  ])) as [APIGuild, APIGuildMember];
  const allowed = permissionsIn(guild, member, botId, where.permission_overwrites ?? []);
  const needed: [bigint, string][] = [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    thread
      ? [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads']
      : [PermissionFlagsBits.SendMessages, 'Send Messages'],
  ];
  const missing = needed.filter(([bit]) => (allowed & bit) !== bit).map(([, name]) => name);
  const name = channel.name ? `#${channel.name}` : channelId;
  if (missing.length === 0) return { subject, ok: true, detail: `copro can see ${name} and post there` };
  return {
    subject,
    ok: false,
    detail:
      `copro lacks ${missing.join(' and ')} in ${name}. Right-click ${thread ? 'the parent channel' : 'the channel'} → "Edit Channel" → ` +
      `"Permissions", choose copro (or "Add members or roles" → copro) and allow ${missing.join(' and ')}.`,
  };
}

/** The fields of a channel the check reads, whichever kind of channel it is. */
type ChannelView = Pick<APIChannel, 'id' | 'type'> & {
  readonly guild_id?: string;
  readonly parent_id?: string | null;
  readonly name?: string | null;
  readonly permission_overwrites?: APIOverwrite[];
};

/** Discord's rule: the roles' permissions, then the channel's overwrites for @everyone, the roles, and the member. */
export function permissionsIn(
  guild: Pick<APIGuild, 'id' | 'owner_id' | 'roles'>,
  member: Pick<APIGuildMember, 'roles'>,
  userId: string,
  overwrites: readonly APIOverwrite[],
): bigint {
  if (guild.owner_id === userId) return ~0n;
  const roleIds = new Set([guild.id, ...member.roles]);
  let allowed = 0n;
  for (const role of guild.roles) if (roleIds.has(role.id)) allowed |= BigInt(role.permissions);
  if (allowed & PermissionFlagsBits.Administrator) return ~0n;
  const apply = (list: readonly APIOverwrite[]) => {
    let allow = 0n;
    let deny = 0n;
    for (const o of list) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
    allowed = (allowed & ~deny) | allow;
  };
  apply(overwrites.filter((o) => o.id === guild.id));
  apply(overwrites.filter((o) => o.id !== guild.id && roleIds.has(o.id)));
  apply(overwrites.filter((o) => o.id === userId));
  return allowed;
}

/** Discord did not answer: where copro looked, why it failed, and what to do about it. */
function unreachable(config: DiscordConfig, error: unknown): string {
  const where = config.apiUrl ?? 'https://discord.com/api';
  const fix = config.apiUrl
    ? 'DISCORD_API_URL is set, and it is for testing only: leave it out to reach Discord itself.'
    : 'Check that this computer is online and allowed to reach discord.com (a firewall or proxy can block it), then try again.';
  return `copro could not reach Discord at ${where} to check it (${unreachableReason(error)}). ${fix}`;
}

function reason(error: unknown): string {
  if (error instanceof DiscordAPIError) return `Discord answered ${error.status}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
