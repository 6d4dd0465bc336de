import type { InboundEvent } from './chat/index.js';

/** The longest a join waits for the commands in its channel: a command stuck for longer is not setup. */
export const JOIN_WAITS_FOR_COMMANDS_MS = 30_000;

/**
 * Commands being handled, by the channel they were typed in. A member who joined a channel while
 * `/copro setup` was still being handled there found no group yet, and their join was dropped:
 * they were never welcomed, nor counted in the group. A join or leave now waits, before it takes
 * any database work, for the commands already underway in its channel. Commands never wait for
 * joins, so nothing waits in a circle. This process's commands only: another replica's are not seen.
 */
export function createChannelCommands(waitAtMostMs = JOIN_WAITS_FOR_COMMANDS_MS) {
  const underway = new Map<string, Set<Promise<unknown>>>();
  const keyOf = (event: InboundEvent) =>
    'channelId' in event && event.channelId
      ? `${event.actor.platform}\u0000${event.actor.workspaceId}\u0000${event.channelId}`
      : undefined;

  return {
    /** Run a command's handling, known as underway in its channel until it ends. */
    track<T>(event: InboundEvent, work: () => Promise<T>): Promise<T> {
      const key = keyOf(event);
      if (key === undefined) return work();
      const running = work();
      const here = underway.get(key) ?? new Set<Promise<unknown>>();
      underway.set(key, here);
      here.add(running);
      const done = () => {
        here.delete(running);
        if (here.size === 0 && underway.get(key) === here) underway.delete(key);
      };
      running.then(done, done);
      return running;
    },
    /** Resolves once the commands underway in the event's channel now have ended (or after the limit). */
    async settled(event: InboundEvent): Promise<void> {
      const key = keyOf(event);
      const here = key === undefined ? undefined : underway.get(key);
      if (!here || here.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...here]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitAtMostMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
