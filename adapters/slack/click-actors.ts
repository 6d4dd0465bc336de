import type { Logger } from '../../src/logger.js';
import { type ActorLookup, type SlackActor, withoutProfile } from './actors.js';

/**
 * How often a person counted under their click's name is looked up afterwards. users.info allows
 * a hundred calls a minute or more; this leaves room for the people who type commands meanwhile.
 */
export const LEARN_EVERY_MS = 1_000;
/** The most people waiting to be looked up; others are named properly at their next click. */
const MOST_WAITING = 10_000;

export interface ClickActorsOptions {
  readonly actorFor: ActorLookup;
  /** Whether other deliveries wait or are in hand (the intake's). */
  readonly busy: () => boolean;
  /** Told who someone is, once Slack has said, for each person counted under a makeshift name. */
  readonly learned: (actor: SlackActor) => Promise<unknown>;
  readonly logger: Logger;
  readonly learnEveryMs?: number;
}

export interface ClickActor {
  readonly actor: SlackActor;
  /** Present when the actor is makeshift: call it once the click is handled. */
  readonly learnLater?: () => void;
}

/**
 * Who clicked. A person Slack has told copro about recently is known at once. Anyone else is
 * looked up with users.info, as for a command, unless other deliveries wait or someone else is
 * being looked up: in a burst of first clicks (a poll posted in a large channel) each call would
 * take turns with acknowledging and storing the clicks, or hold up the clicks behind it, and
 * Slack would refuse most of them anyway (about 100 a minute). Such a click
 * is handled under the name it carries (the person's handle) and its person looked up later,
 * one a second, and what copro holds of them brought up to date then.
 *
 * A click's handling needs no more of Slack's answer than a name: only setting a group up asks
 * whether someone administers the workspace, and that is a command, which always waits.
 */
export function createClickActors(options: ClickActorsOptions) {
  const { actorFor, busy, learned, logger } = options;
  const everyMs = options.learnEveryMs ?? LEARN_EVERY_MS;
  const waiting = new Map<string, { workspaceId: string; userId: string; name?: string }>();
  // One look-up at a time: the next is timed from the end of the last, however long Slack took.
  let timer: NodeJS.Timeout | undefined;
  let looking = false;
  let stopped = false;

  function next(afterMs: number): void {
    if (stopped || timer || looking || waiting.size === 0) return;
    timer = setTimeout(() => void learnNext(), afterMs);
    timer.unref();
  }

  async function learnNext(): Promise<void> {
    timer = undefined;
    const [key, who] = waiting.entries().next().value ?? [];
    if (!key || !who || stopped) return;
    looking = true;
    let wait = everyMs;
    try {
      const actor = await actorFor(who.workspaceId, who.userId, who.name);
      if (!actor.profileUnknown) {
        waiting.delete(key);
        if (!stopped) await learned(actor);
      } else if (actorFor.quietForMs() > 0) {
        // Slack asked copro to slow down: they keep their place, and the next try waits as asked.
        wait = actorFor.quietForMs() + everyMs;
      } else {
        // Slack could not say (an account it does not know): their next click asks again.
        waiting.delete(key);
      }
    } catch (err) {
      waiting.delete(key);
      logger.warn({ err }, 'could not bring a person up to date after a busy moment');
    } finally {
      looking = false;
    }
    next(wait);
  }

  function learnLater(workspaceId: string, userId: string, name?: string): void {
    if (stopped || waiting.size >= MOST_WAITING) return;
    waiting.set(`${workspaceId}:${userId}`, { workspaceId, userId, ...(name ? { name } : {}) });
    next(everyMs);
  }

  return {
    async actorFor(workspaceId: string, userId: string, name?: string): Promise<ClickActor> {
      const known = actorFor.known(workspaceId, userId);
      if (known) return { actor: known };
      if (!busy() && actorFor.asking() === 0) return { actor: await actorFor(workspaceId, userId, name) };
      return {
        actor: withoutProfile(workspaceId, userId, name),
        learnLater: () => learnLater(workspaceId, userId, name),
      };
    },
    /** Those still waiting to be looked up are left: their next click names them. */
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      waiting.clear();
    },
  };
}

export type ClickActors = ReturnType<typeof createClickActors>;
