import { DATABASE_UNAVAILABLE_TEXT, errorRef } from '../../src/errors.js';
import type { Inbox, KeptDelivery } from '../../src/inbox.js';
import type { Logger } from '../../src/logger.js';
import { answerable } from './payloads.js';

/** Discord waits 3 seconds for a first answer; the inbox gets most of that. */
export const KEEP_WITHIN_MS = 2000;

/** How an interaction is handled: fresh from the gateway, or again after a restart. */
export type Receive = (data: unknown, recovered: boolean) => Promise<void>;

export interface DiscordIntakeOptions {
  readonly inbox: Inbox | undefined;
  readonly logger: Logger;
  readonly receive: Receive;
  /** Answers an interaction the inbox could not keep in time, so the person is not left guessing. */
  readonly tellUnavailable: (data: unknown, text: string) => Promise<void>;
  readonly keepWithinMs?: number;
}

/**
 * Nothing acknowledged is lost. An interaction is kept in the inbox before the adapter can answer
 * Discord at all, whether with the core's reply (sent only once its effect has committed, see
 * handleOnce) or with a deferral when the core is slow. It leaves the inbox once handled. If the
 * process stops in between (after a deferral Discord shows the click as accepted), the next start
 * handles it again from the inbox: the core records each interaction id with its effect, so it
 * counts once, and the answer goes to the person through the interaction's webhook (valid for 15
 * minutes). An interaction the inbox cannot keep in time is answered with a plain "try again"
 * and never handled.
 */
export function createDiscordIntake(options: DiscordIntakeOptions) {
  const { inbox, logger, receive } = options;
  const patience = options.keepWithinMs ?? KEEP_WITHIN_MS;

  async function handleKept(data: unknown, id: string, recovered: boolean): Promise<void> {
    try {
      await receive(data, recovered);
    } finally {
      await inbox
        ?.release(id)
        .catch((err: unknown) =>
          logger.error({ err }, 'could not let a handled interaction go yet; trying again in the background'),
        );
    }
  }

  return {
    async take(data: unknown): Promise<void> {
      // Only what could be answered (and so acknowledged) is worth keeping.
      if (!inbox || !answerable(data)) return receive(data, false);
      let id: string;
      try {
        id = await keepWithin(inbox, data, patience, logger);
      } catch (err) {
        logger.error(
          { ref: errorRef(), err },
          'could not keep a Discord interaction; told the person to try later',
        );
        return options.tellUnavailable(data, DATABASE_UNAVAILABLE_TEXT);
      }
      return handleKept(data, id, false);
    },

    /** Interactions kept before a restart; read before new ones are taken in. */
    waiting(): Promise<KeptDelivery[]> {
      return inbox ? inbox.waiting('discord') : Promise.resolve([]);
    },

    /** Handle, oldest first, what the process kept and never finished before it stopped. */
    async replay(waiting: readonly KeptDelivery[]): Promise<void> {
      if (waiting.length > 0)
        logger.info({ count: waiting.length }, 'handling interactions kept before a restart');
      for (const kept of waiting) {
        await handleKept(kept.payload, kept.id, true).catch((err: unknown) =>
          logger.error({ ref: errorRef(), err }, 'a kept interaction failed'),
        );
      }
    },
  };
}

/** Keep an interaction, or fail after `ms`; one stored after all is let go at once. */
function keepWithin(inbox: Inbox, payload: unknown, ms: number, logger: Logger): Promise<string> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error('the database did not keep the interaction in time'));
    }, ms);
    inbox.keep('discord', payload).then(
      (id) => {
        clearTimeout(timer);
        if (!late) return resolve(id);
        inbox
          .release(id)
          .catch((err: unknown) => logger.error({ err }, 'could not let a late interaction go'));
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!late) reject(err);
      },
    );
  });
}
