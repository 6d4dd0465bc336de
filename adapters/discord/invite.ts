import { OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/**
 * What copro needs in a server: see the group's channel and post there (the set-up notice, polls,
 * digests), also when a group's home is a thread, such as a forum post, where posting takes Send
 * Messages in Threads. Interaction answers and direct messages need no server permission.
 */
export const INVITE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads;
export const INVITE_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The address that adds copro to a server, as README's "Connect to Discord" gives it. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=${INVITE_SCOPES.join('+')}&permissions=${INVITE_PERMISSIONS}`;
}
