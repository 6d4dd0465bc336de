import { LIMITS } from './limits.js';

/**
 * A component's custom_id carries copro's action id and value: `actionId|n|value`. The position
 * `n` keeps ids unique within a message (Discord rejects duplicates) even when two buttons share
 * an action and a value. Custom ids come back with every click, so no state is kept on our side
 * and buttons keep working across restarts.
 *
 * A control in a direct message also carries its server (`actionId|n~guildId|value`): Discord
 * sends clicks in DMs without a server, and copro knows people by server.
 */
export function encodeCustomId(actionId: string, position: number, value: string, scope?: string): string {
  if (actionId.includes('|')) throw new RangeError(`Action id "${actionId}" must not contain "|".`);
  const id = `${actionId}|${scope ? `${position}~${scope}` : position}|${value}`;
  if (id.length > LIMITS.customId) {
    throw new RangeError(
      `Button or select "${actionId}" carries a value too long for Discord (custom ids hold ${LIMITS.customId} characters; keep values to short ids).`,
    );
  }
  return id;
}

export function decodeCustomId(customId: string): { actionId: string; value: string; scope?: string } {
  const first = customId.indexOf('|');
  if (first < 0) return { actionId: customId, value: '' };
  const second = customId.indexOf('|', first + 1);
  const scope = /~(\d{1,25})$/.exec(customId.slice(first + 1, second < 0 ? undefined : second))?.[1];
  return {
    actionId: customId.slice(0, first),
    value: second < 0 ? '' : customId.slice(second + 1),
    ...(scope ? { scope } : {}),
  };
}
