import type { Actor } from '../../src/chat/index.js';
import type { Logger } from '../../src/logger.js';
import { toDeliveryError } from './errors.js';
import type { SlackApi } from './outbound.js';
import type { UsersInfo } from './users-info.js';

const TTL_MS = 5 * 60_000;
/** The longest copro leaves users.info alone after a 429, whatever Retry-After says. */
const LONGEST_QUIET_MS = 60_000;
/** A person Slack could not look up (not found, or an error) is asked about again after this. */
const FAILED_TTL_MS = 60_000;

export interface SlackActor extends Actor {
  readonly isBot: boolean;
}

/**
 * Someone Slack has not said anything about: named as the payload names them (their handle), or
 * by their id. Without an answer we cannot tell an admin from anyone else, so we assume not.
 */
export function withoutProfile(workspaceId: string, userId: string, fallbackName?: string): SlackActor {
  return {
    platform: 'slack',
    workspaceId,
    userId,
    displayName: fallbackName || userId,
    displayNameOutsideGroup: true,
    isPlatformAdmin: false,
    profileUnknown: true,
    isBot: false,
  };
}

/**
 * Who someone is, from users.info: name, timezone and whether they administer the workspace.
 * Answers are kept for a few minutes so a busy channel stays well inside users.info's rate limit,
 * and a person asked about twice at once (a double click) costs one call.
 *
 * Without an answer (Slack is down, or busy: a poll in a large channel can bring more first-time
 * clickers in a minute than users.info allows) the click is still handled, under the name the
 * payload gives. That name never replaces one copro already has, and after a 429 copro leaves
 * users.info alone for as long as Slack asked, instead of asking again for every click.
 */
export function createActorLookup(usersInfo: UsersInfo, logger: Logger, now: () => number = Date.now) {
  const cache = new Map<string, { actor: SlackActor; until: number }>();
  const asking = new Map<string, Promise<SlackActor>>();
  let quietUntil = 0;

  async function lookUp(
    key: string,
    workspaceId: string,
    userId: string,
    fallbackName?: string,
  ): Promise<SlackActor> {
    try {
      const u = await usersInfo(userId);
      const actor: SlackActor = {
        platform: 'slack',
        workspaceId,
        userId,
        displayName:
          u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || fallbackName || userId,
        isPlatformAdmin: Boolean(u.is_admin || u.is_owner),
        ...(u.tz ? { timezone: u.tz } : {}),
        isBot: Boolean(u.is_bot),
      };
      cache.set(key, { actor, until: now() + TTL_MS });
      return actor;
    } catch (error) {
      const failure = toDeliveryError(error, 'users.info');
      if (failure.reason === 'rate_limited') {
        // Slack asks for seconds; an answer asking for far more is not kept to for longer.
        const wait = Math.min(failure.retryAfterMs ?? 1000, LONGEST_QUIET_MS);
        quietUntil = Math.max(quietUntil, now() + wait);
        logger.info(
          { retryAfterMs: failure.retryAfterMs },
          'Slack asked copro to slow down looking people up; using the names in the payloads meanwhile',
        );
        return withoutProfile(workspaceId, userId, fallbackName);
      }
      // Not asked about again for a minute: a click from an id Slack does not know (forged, or a
      // deleted account) would otherwise cost a call and a warning every time.
      logger.warn(
        { err: error, userId },
        'could not look up a Slack user; carrying on without their profile',
      );
      const actor = withoutProfile(workspaceId, userId, fallbackName);
      cache.set(key, { actor, until: now() + FAILED_TTL_MS });
      return actor;
    }
  }

  const known = (workspaceId: string, userId: string): SlackActor | undefined => {
    const hit = cache.get(`${workspaceId}:${userId}`);
    return hit && hit.until > now() ? hit.actor : undefined;
  };

  async function actorFor(workspaceId: string, userId: string, fallbackName?: string): Promise<SlackActor> {
    const key = `${workspaceId}:${userId}`;
    const hit = known(workspaceId, userId);
    if (hit) return hit;
    if (now() < quietUntil) return withoutProfile(workspaceId, userId, fallbackName);
    const pending = asking.get(key);
    if (pending) return pending;
    const answer = lookUp(key, workspaceId, userId, fallbackName).finally(() => asking.delete(key));
    asking.set(key, answer);
    return answer;
  }

  return Object.assign(actorFor, {
    /** The person, if Slack's answer about them is at hand (no call is made). */
    known,
    /** How many people are being looked up now. */
    asking: () => asking.size,
    /** How long Slack has asked copro to leave users.info alone, from now (0 when it has not). */
    quietForMs: () => Math.max(0, quietUntil - now()),
  });
}

export type ActorLookup = ReturnType<typeof createActorLookup>;

/**
 * Who created a channel, from conversations.info. It never changes, so each answer is kept for
 * the life of the process; a failed look-up is not kept, and counts as "not known".
 */
export function createChannelCreatorLookup(api: SlackApi, logger: Logger) {
  const creators = new Map<string, string>();
  return async function creatorOf(channelId: string): Promise<string | undefined> {
    const known = creators.get(channelId);
    if (known) return known;
    try {
      const answer = (await api.conversations.info({ channel: channelId })) as {
        channel?: { creator?: string };
      };
      const creator = answer.channel?.creator;
      if (creator) creators.set(channelId, creator);
      return creator;
    } catch (error) {
      logger.warn({ err: error, channelId }, 'could not look up who created a Slack channel');
      return undefined;
    }
  };
}

export type ChannelCreatorLookup = ReturnType<typeof createChannelCreatorLookup>;
