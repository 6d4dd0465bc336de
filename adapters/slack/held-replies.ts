import { createGate } from '../../src/event-batches.js';
import type { Logger } from '../../src/logger.js';
import type { KeptAnswer } from './kept-answers.js';

/** The longest a reply waits for the intake to empty. */
export const HOLD_REPLIES_AT_MOST_MS = 2_000;
/** Held replies sent at the same time once they go (each click's own stay in order). */
const SENT_AT_ONCE = 16;

export interface HeldRepliesOptions {
  /** Other deliveries waiting or in hand, besides the one replying. */
  readonly busy: () => boolean;
  /** Resolves once no delivery waits or is in hand. */
  readonly idle: () => Promise<void>;
  /** Lets stop() and tests wait for replies still held. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly logger: Logger;
  readonly holdAtMostMs?: number;
  /**
   * Keeps a reply about to be held, so a crash does not lose it (kept-answers.ts); the function
   * it returns is called once the reply has gone, or could not go.
   */
  readonly keep?: (answer: KeptAnswer) => () => void;
}

interface Held {
  /** The click's response_url: its replies go one after another, as they were made. */
  readonly to: string;
  readonly send: () => Promise<void>;
  done(): void;
}

/**
 * Answers to clicks (a vote's "Thank you. You voted…") sent through response_url. When a burst
 * of clicks arrives, every click is acknowledged and every vote stored before the answers go:
 * on a small host the answers (an HTTP request each) would otherwise take turns with storing
 * the votes still waiting (poll-votes: votes stored about a fifth sooner). An answer waits
 * until no delivery waits or is in hand, and never longer than HOLD_REPLIES_AT_MOST_MS;
 * response_url stays good for 30 minutes. While nothing else waits, it goes at once, as before.
 *
 * A held answer that cannot be sent is logged here: the core was told it went.
 *
 * Only on a database server (main.ts). On the embedded database, in bench/poll-votes.ts, 200
 * clicks at once were acknowledged within 0.4 s in some runs, and in others the last 30 waited 2
 * to 3 s, until the held answers went; why is not known yet, so answers there go at once.
 */
export function createHeldReplies(options: HeldRepliesOptions) {
  const { busy, idle, track, logger, keep } = options;
  const holdAtMostMs = options.holdAtMostMs ?? HOLD_REPLIES_AT_MOST_MS;
  let held: Held[] = [];
  let timer: NodeJS.Timeout | undefined;
  const slot = createGate(SENT_AT_ONCE);
  /** Each click with replies on their way: the last of them. A later reply goes after it. */
  const sending = new Map<string, Promise<void>>();

  /** Sends after the click's replies already on their way, taking a slot; never rejects. */
  function inTurn(to: string, replies: readonly Pick<Held, 'send' | 'done'>[]): Promise<void> {
    const chained = (sending.get(to) ?? Promise.resolve()).then(() =>
      slot(async () => {
        for (const reply of replies) {
          await reply
            .send()
            .catch((err: unknown) => logger.warn({ err }, 'could not send a held reply to a click'));
          reply.done();
        }
      }),
    );
    sending.set(to, chained);
    void chained.then(() => {
      if (sending.get(to) === chained) sending.delete(to);
    });
    return chained;
  }

  function sendAll(): void {
    clearTimeout(timer);
    timer = undefined;
    const byClick = new Map<string, Held[]>();
    for (const reply of held) byClick.set(reply.to, [...(byClick.get(reply.to) ?? []), reply]);
    held = [];
    for (const [to, replies] of byClick) void inTurn(to, replies);
  }

  /** `message` is what `send` sends, kept (options.keep) while the reply waits. */
  return function replyWhenFree(
    to: string,
    message: Record<string, unknown>,
    send: () => Promise<void>,
  ): Promise<void> {
    // Its earlier replies are on their way: this one follows them.
    if (sending.has(to)) {
      track(inTurn(to, [{ send, done: keep?.({ to, message }) ?? (() => {}) }]));
      return Promise.resolve();
    }
    // Once some are held, the rest queue behind them, so one click's replies keep their order.
    if (held.length === 0 && !busy()) return send();
    const gone = keep?.({ to, message });
    const sent = new Promise<void>((done) =>
      held.push({
        to,
        send,
        done: () => {
          gone?.();
          done();
        },
      }),
    );
    track(sent);
    if (held.length === 1) {
      timer = setTimeout(sendAll, holdAtMostMs);
      timer.unref();
      void idle().then(() => {
        if (held.length > 0) sendAll();
      });
    }
    return Promise.resolve();
  };
}

export type ReplyWhenFree = ReturnType<typeof createHeldReplies>;
