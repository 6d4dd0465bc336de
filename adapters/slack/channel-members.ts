import type { SlackApi } from './outbound.js';

/**
 * Is this person in the channel? Asked only for someone copro has not seen join (it may have
 * been invited after they did). conversations.members pages through the channel; the scopes it
 * needs, channels:read and groups:read, are the ones copro has for join and leave events.
 */
export function createChannelMembership(api: SlackApi, teamId: () => string | undefined) {
  return async function isChannelMember(workspaceId: string, channelId: string, userId: string) {
    // One app install serves one workspace: a person from another is not in its channels.
    if (teamId() && workspaceId !== teamId()) return false;
    let cursor: string | undefined;
    do {
      const page = await api.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      if (page.members?.includes(userId)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return false;
  };
}
