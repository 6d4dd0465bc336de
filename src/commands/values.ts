import { literal, readableNumber } from '../chat/index.js';
import type { Mention, OptionSpec } from './types.js';

export type Coerced = { ok: true; value: string | number | Mention } | { ok: false; problem: string };

const MENTION_PATTERNS = [
  /^<@!?([A-Z0-9]+)(?:\|([^>]*))?>$/i, // Slack <@U123> / <@U123|name>, Discord <@123> / <@!123>
  /^@([\p{L}\p{N}._-]+)$/u, // console @name
];

export function parseMention(raw: string): Mention | undefined {
  const platform = MENTION_PATTERNS[0]?.exec(raw);
  if (platform?.[1]) return { kind: 'mention', userId: platform[1], displayName: platform[2] || undefined };
  const plain = MENTION_PATTERNS[1]?.exec(raw);
  if (plain?.[1])
    return { kind: 'mention', userId: plain[1].toLowerCase(), displayName: plain[1], typed: true };
  return undefined;
}

const PART = /(\d+(?:\.\d+)?)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)(?![a-z])/iy;
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 60 * 24, w: 60 * 24 * 7 };

/**
 * "3d" → 4320, "1.5h" → 90: minutes, whole. Parts add up, as copro writes a time back ("1h 30m",
 * "1h30m" → 90), so what copro shows can be typed again.
 */
export function parseDurationMinutes(raw: string): number | undefined {
  const text = raw.trim();
  let minutes = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m?.[1] || !m[2]) return undefined;
    minutes += Number(m[1]) * (UNIT_MINUTES[m[2][0]?.toLowerCase() ?? ''] ?? 0);
    at = PART.lastIndex;
    while (text[at] === ' ') at++;
  }
  minutes = Math.round(minutes);
  return minutes > 0 && Number.isSafeInteger(minutes) ? minutes : undefined;
}

/** Role names are typed loosely ("Expert by Experience", expert-by-experience); keys are not. */
export function roleKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}-]/gu, '');
}

/**
 * The longest text each kind of option takes, unless its catalogue entry says otherwise. Chat
 * messages and the database stay within sensible sizes, and an answer can echo what it refuses.
 */
export const DEFAULT_MAX_LENGTH: Readonly<Record<OptionSpec['type'], number>> = {
  string: 100,
  text: 500,
  user: 100,
  integer: 12,
  duration: 20,
  role: 40,
  flag: 0,
};

export function maxLengthOf(spec: OptionSpec): number {
  return spec.maxLength ?? DEFAULT_MAX_LENGTH[spec.type];
}

/** A piece of what someone typed, cut short to quote back to them. */
export function echo(raw: string, max = 40): string {
  const chars = [...raw];
  // Echoed text is the member's own: shown as typed, never a mention or a link.
  return literal(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : raw);
}

/** Option names that are not nouns ("--every"), as a sentence names them. */
const SPOKEN: Readonly<Record<string, string>> = {
  when: 'time',
  what: 'description',
  every: 'repeat',
  closes: 'closing time',
  from: 'first day',
  to: 'last day',
  who: 'choice of who',
};

/** "The question is too long..." when a value is over its option's limit. */
export function tooLong(spec: OptionSpec, raw: string): string | undefined {
  const max = maxLengthOf(spec);
  const length = [...raw].length;
  if (length <= max) return undefined;
  const noun = SPOKEN[spec.name] ?? spec.name;
  const what = spec.variadic ? `Each of the ${noun}` : `The ${noun}`;
  return `${what} can be at most ${readableNumber(max)} characters long; this one has ${readableNumber(length)}. Please make it shorter.`;
}

export function coerce(spec: OptionSpec, raw: string): Coerced {
  const overLimit = tooLong(spec, raw);
  if (overLimit) return { ok: false, problem: overLimit };
  switch (spec.type) {
    case 'user': {
      const mention = parseMention(raw);
      return mention
        ? { ok: true, value: mention }
        : { ok: false, problem: `"${echo(raw)}" is not a person. Mention them with @, like @sam.` };
    }
    case 'integer':
      return /^-?\d{1,9}$/.test(raw)
        ? { ok: true, value: Number(raw) }
        : {
            ok: false,
            // Said after the number, so a description with brackets of its own does not nest in ours.
            problem: `Please give a whole number, not "${echo(raw)}": ${spec.description.charAt(0).toLowerCase()}${spec.description.slice(1)}.`,
          };
    case 'duration': {
      const minutes = parseDurationMinutes(raw);
      if (minutes !== undefined) return { ok: true, value: minutes };
      // Every length typed today is hours long at most (time logged, a meeting): days would be refused.
      const zero = /^\s*0+(\.0+)?\s*[a-z]*\s*$/i.test(raw);
      return {
        ok: false,
        problem: zero
          ? 'A length of time must be more than nothing. Try 45m, 2h or 1h30m.'
          : `"${echo(raw)}" is not a length of time. Try 45m, 2h or 1h30m.`,
      };
    }
    case 'role': {
      const key = roleKey(raw);
      return key ? { ok: true, value: key } : { ok: false, problem: `"${echo(raw)}" is not a role name.` };
    }
    default:
      if (spec.choices && !spec.choices.includes(raw.toLowerCase())) {
        const choices = spec.choices.map((c) => `"${c}"`);
        const list = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
        return { ok: false, problem: `Please choose ${list}, not "${raw}".` };
      }
      if (spec.choices) return { ok: true, value: raw.toLowerCase() };
      return raw.trim() === '' && spec.required
        ? {
            ok: false,
            problem: `Please say ${spec.description.charAt(0).toLowerCase()}${spec.description.slice(1)}: it cannot be empty.`,
          }
        : { ok: true, value: raw };
  }
}
