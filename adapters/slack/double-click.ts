/**
 * A quick second click on the same button by the same person is a double click, not a second
 * choice: on a "choose again to take it back" poll it would undo the first. Slack sends each
 * click with its own action_ts, so the core's event-id dedupe cannot see it; this can.
 * (Slack's redeliveries carry the same action_ts and are dropped by the core as usual.)
 * Only a repeat of the person's last click in that place counts: someone who corrects a slip
 * (Monday, Tuesday, back to Monday within a second) means every click.
 */
export const DOUBLE_CLICK_MS = 1000;

/** The most people-in-places remembered before those past the window are forgotten. */
const REMEMBERED = 5000;

export function createDoubleClickFilter(windowMs = DOUBLE_CLICK_MS) {
  const last = new Map<string, { button: string; at: number }>();

  /**
   * True when this click, by a person in a place (`where`: their id and the message), repeats
   * their last click there on the same `button` (its action and value) within the window, by
   * Slack's own timestamps.
   */
  return function isDoubleClick(where: string, button: string, actionTs: string | undefined): boolean {
    const at = Number(actionTs) * 1000;
    if (!Number.isFinite(at)) return false;
    const before = last.get(where);
    last.set(where, { button, at });
    if (last.size > REMEMBERED) {
      for (const [k, t] of last) if (at - t.at > windowMs) last.delete(k);
    }
    return before !== undefined && before.button === button && at > before.at && at - before.at < windowMs;
  };
}
