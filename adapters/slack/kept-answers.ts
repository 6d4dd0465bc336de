import { setTimeout as delay } from 'node:timers/promises';
import { createBatcher } from '../../src/batch.js';
import { createGate } from '../../src/event-batches.js';
import type { Inbox } from '../../src/inbox.js';
import type { Logger } from '../../src/logger.js';

/** The inbox's name for answers kept until they have gone (apart from Slack's deliveries). */
export const KEPT_ANSWERS = 'slack:answers';
/** How long Slack takes answers through a click's response_url. */
export const ANSWERS_GOOD_FOR_MS = 30 * 60_000;
/** The most answers kept in one row. */
const ANSWERS_A_ROW = 100;
/**
 * How old a row must be to be taken for one a stopped process left. A running one sends its held
 * answers and lets their row go within a few seconds (held-replies.ts holds them 2 s at most), and
 * another copro on the same database may be in the middle of that. One slow answer keeps its whole
 * row: with 10 s here, a second process sent again the 30 answers that shared a row with one Slack
 * took 15 s to take.
 */
export const LEFT_AFTER_MS = 60_000;
/** Answers sent at the same time at a start, as held ones are (held-replies.ts). */
const RESENT_AT_ONCE = 16;

/** An answer to a click: where it goes (the click's response_url) and what it says. */
export interface KeptAnswer {
  readonly to: string;
  readonly message: Record<string, unknown>;
}

interface KeptRow {
  readonly keptAt: number;
  readonly answers: readonly KeptAnswer[];
}

export interface KeptAnswersOptions {
  readonly inbox: Inbox;
  readonly logger: Logger;
  /** Lets stop() and tests wait for rows still being let go. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly now?: () => number;
  /** LEFT_AFTER_MS, shorter in tests. */
  readonly leftAfterMs?: number;
}

/**
 * Answers to clicks held in memory while a burst is stored (held-replies.ts) are kept in the
 * inbox as well, sealed as its deliveries are (an answer says how someone voted). Each vote commits
 * with the release of its delivery, so without this a crash while its answer was held lost the
 * answer for good, though the vote counted (SIGKILL in a burst of 300: 87 to 96 answers never
 * came). Up to ANSWERS_A_ROW answers share a row, let go once all of them have gone. The next start
 * sends what a stopped process left (resend), while Slack still takes them. An answer that went
 * just before the crash, in a row not yet let go, goes twice: better than not at all.
 */
export function createKeptAnswers(options: KeptAnswersOptions) {
  const { inbox, logger, track } = options;
  const now = options.now ?? Date.now;
  const leftAfterMs = options.leftAfterMs ?? LEFT_AFTER_MS;
  /** Each row's answers that have not gone yet. */
  const left = new Map<string, number>();
  const keepAll = createBatcher(
    async (answers: readonly KeptAnswer[]) => {
      const row: KeptRow = { keptAt: now(), answers };
      const id = await inbox.keep(KEPT_ANSWERS, row);
      left.set(id, answers.length);
      return answers.map(() => id);
    },
    { max: ANSWERS_A_ROW, failsAll: () => true },
  );

  function gone(id: string): Promise<void> {
    const more = (left.get(id) ?? 1) - 1;
    if (more > 0) {
      left.set(id, more);
      return Promise.resolve();
    }
    left.delete(id);
    return inbox
      .release(id)
      .catch((err: unknown) => logger.warn({ err }, 'could not let kept answers go yet'));
  }

  return {
    /**
     * Keeps an answer about to be held; call the function returned once it has gone (or could
     * not go). If the database does not take it, the answer still goes from memory.
     */
    keep(answer: KeptAnswer): () => void {
      const kept = keepAll(answer).catch((err: unknown) => {
        logger.debug({ err }, 'could not keep a held answer; it goes from memory only');
        return undefined;
      });
      return () => {
        void track(kept.then((id) => (id === undefined ? undefined : gone(id))));
      };
    },

    /**
     * Sends the answers kept by a process that stopped before they went, then lets them go. Rows
     * kept less than LEFT_AFTER_MS ago are looked at again once they are that old: by then a
     * process still running has let its own go.
     */
    async resend(send: (answer: KeptAnswer) => Promise<void>): Promise<void> {
      const isLeft = (row: { payload: unknown }) => now() - keptAtOf(row.payload) >= leftAfterMs;
      let rows = await inbox.waiting(KEPT_ANSWERS);
      if (rows.some((row) => !isLeft(row))) {
        const youngest = Math.max(...rows.map((row) => keptAtOf(row.payload)));
        // Not to keep a stopping process up.
        await delay(Math.max(0, youngest + leftAfterMs - now()), undefined, { ref: false });
        rows = await inbox.waiting(KEPT_ANSWERS);
      }
      const slot = createGate(RESENT_AT_ONCE);
      let sent = 0;
      let tooOld = 0;
      for (const { id, payload } of rows.filter(isLeft)) {
        const answers = (payload as Partial<KeptRow>).answers ?? [];
        if (now() - keptAtOf(payload) > ANSWERS_GOOD_FOR_MS) tooOld += answers.length;
        else
          await track(
            Promise.all(
              answers.map((answer) =>
                slot(() => send(answer)).then(
                  () => sent++,
                  (err: unknown) => logger.warn({ err }, 'could not send an answer kept before a restart'),
                ),
              ),
            ),
          );
        await track(inbox.release(id));
      }
      if (sent + tooOld > 0)
        logger.info({ sent, tooOld }, 'sent the answers to clicks kept before a restart');
    },
  };
}

/** When a row was kept; 0 (long ago) for one that does not say. */
function keptAtOf(payload: unknown): number {
  const keptAt = (payload as Partial<KeptRow> | null)?.keptAt;
  return typeof keptAt === 'number' ? keptAt : 0;
}

export type KeptAnswers = ReturnType<typeof createKeptAnswers>;
