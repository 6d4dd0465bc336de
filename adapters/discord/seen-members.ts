/** How long a person shown to be in a server counts as in it without asking Discord again. */
export const SEEN_FOR_MS = 10 * 60_000;
/** The most people remembered; the longest seen are forgotten first. */
const MOST_REMEMBERED = 10_000;

/**
 * People Discord has just shown to be in a server. An interaction from a server carries its
 * person's membership (`member`), and only someone in the server can use its channels. The core
 * asks whether someone it has not seen join is in the group's server, and each ask was a call to
 * Discord (GET /guilds/:id/members/:id). In a burst of first clicks on a poll, that route's rate
 * limit refused many of them, and those people were told nothing was recorded (9 to 38 of 80
 * votes in one trial). Someone is forgotten when they leave the server, and SEEN_FOR_MS after
 * they were last seen in it.
 */
export function createSeenMembers(now: () => number = Date.now) {
  const seen = new Map<string, number>();
  const keyOf = (guildId: string, userId: string) => `${guildId}:${userId}`;
  return {
    /** Discord has just shown this person in the server (a live interaction, not a replayed one). */
    saw(guildId: string, userId: string): void {
      const key = keyOf(guildId, userId);
      // Last seen goes last, so the oldest is first to go.
      seen.delete(key);
      seen.set(key, now());
      if (seen.size > MOST_REMEMBERED) {
        const [oldest] = seen.keys();
        if (oldest !== undefined) seen.delete(oldest);
      }
    },
    left(guildId: string, userId: string): void {
      seen.delete(keyOf(guildId, userId));
    },
    /** True when seen in the server lately; false means "ask Discord", not "not a member". */
    seenLately(guildId: string, userId: string): boolean {
      const key = keyOf(guildId, userId);
      const at = seen.get(key);
      if (at === undefined) return false;
      if (now() - at <= SEEN_FOR_MS) return true;
      seen.delete(key);
      return false;
    },
  };
}

export type SeenMembers = ReturnType<typeof createSeenMembers>;
