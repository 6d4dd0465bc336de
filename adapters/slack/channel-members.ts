import type { SlackApi } from './outbound.js';

/** How long a channel's member list is trusted; join and leave events clear it sooner. */
export const MEMBER_LIST_TTL_MS = 60_000;

/**
 * Is this person in the channel? Asked only for someone copro has not seen join (it may have
 * been invited after they did). conversations.members pages through the channel; the scopes it
 * needs, channels:read and groups:read, are the ones copro has for join and leave events.
 *
 * The list is kept for a minute and shared by everyone asking meanwhile: when a poll goes out in a
 * channel of a thousand people copro has not seen join, their first clicks cost one list, not a
 * thousand (conversations.members allows about 100 calls a minute). A join or leave event in the
 * channel clears it, so someone who just left is not let back in from an old list.
 */
export function createChannelMembership(
  api: SlackApi,
  teamId: () => string | undefined,
  now: () => number = Date.now,
) {
  const lists = new Map<string, { members: Promise<ReadonlySet<string>>; until: number }>();

  async function fetchMembers(channelId: string): Promise<ReadonlySet<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const id of page.members ?? []) members.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }

  function membersOf(channelId: string): Promise<ReadonlySet<string>> {
    const kept = lists.get(channelId);
    if (kept && kept.until > now()) return kept.members;
    const members = fetchMembers(channelId);
    const entry = { members, until: now() + MEMBER_LIST_TTL_MS };
    lists.set(channelId, entry);
    // A failed look-up is not kept: the next person asks again.
    members.catch(() => {
      if (lists.get(channelId) === entry) lists.delete(channelId);
    });
    return members;
  }

  return {
    async isChannelMember(workspaceId: string, channelId: string, userId: string): Promise<boolean> {
      // One app install serves one workspace: a person from another is not in its channels.
      if (teamId() && workspaceId !== teamId()) return false;
      return (await membersOf(channelId)).has(userId);
    },
    /** Someone joined or left the channel: its kept list is out of date. */
    changed(channelId: string): void {
      lists.delete(channelId);
    },
  };
}

export type ChannelMembership = ReturnType<typeof createChannelMembership>;
