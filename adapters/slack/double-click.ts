/**
 * A quick second click on the same button by the same person is a double click, not a second
 * choice: on a "choose again to take it back" poll it would undo the first. Slack sends each
 * click with its own action_ts, so the core's event-id dedupe cannot see it; this can.
 * (Slack's redeliveries carry the same action_ts and are dropped by the core as usual.)
 */
export const DOUBLE_CLICK_MS = 1000;

export function createDoubleClickFilter(windowMs = DOUBLE_CLICK_MS) {
  const last = new Map<string, number>();

  /** True when this click repeats the same click within the window (by Slack's own timestamps). */
  return function isDoubleClick(key: string, actionTs: string | undefined): boolean {
    const at = Number(actionTs) * 1000;
    if (!Number.isFinite(at)) return false;
    const before = last.get(key);
    last.set(key, at);
    if (last.size > 5000) {
      for (const [k, t] of last) if (at - t > windowMs) last.delete(k);
    }
    return before !== undefined && at > before && at - before < windowMs;
  };
}
