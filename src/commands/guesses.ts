import { distance } from 'fastest-levenshtein';
import type { Token } from './tokens.js';
import type { CommandSpec, OptionSpec } from './types.js';
import { placeholder } from './usage.js';

/**
 * What a line that does not parse as typed most likely meant: a command word with a slip of a
 * letter or two, a word of a longer command typed after its other words, a placeholder copied
 * from a usage line. The parser (parser.ts) words the answers.
 */

/**
 * The line's words, and how many of the first ones begin a command that has more words after
 * them (1 for "digest nwo", since digest preview and digest now exist), with the test for that.
 */
export function commandWords(tokens: readonly Token[], specs: readonly CommandSpec[]) {
  const words = tokens.map((t) => t.value.toLowerCase());
  const startsWith = (s: CommandSpec, n: number) =>
    s.path.length > n && words.slice(0, n).every((w, i) => s.path[i] === w);
  let depth = 0;
  while (depth < words.length && specs.some((s) => startsWith(s, depth + 1))) depth++;
  return { words, depth, startsWith };
}

/**
 * The command the line most likely meant, when one of its words is a slip of one or two letters
 * ("clsoe" for close, "rols" for roles) where a command's word was expected, written out in full.
 */
export function misspeltCommand(
  tokens: readonly Token[],
  specs: readonly CommandSpec[],
  { words, depth, startsWith }: ReturnType<typeof commandWords>,
): { readonly typed: string; readonly meant: string } | undefined {
  const typed = tokens[depth];
  if (!typed || typed.quoted || typed.value.length < 3) return undefined;
  const said = typed.value.toLowerCase();
  let near = [...new Set(specs.filter((s) => startsWith(s, depth)).map((s) => s.path[depth] as string))].map(
    (word) => ({ word, d: distance(word, said) }),
  );
  // A word that is a command's own ("roles", a command of one word) is not a slip.
  if (near.some((n) => n.d === 0)) return undefined;
  near = near.filter(({ word, d }) => d <= (word.length > 3 ? 2 : 1));
  const closest = Math.min(...near.map((n) => n.d));
  const [only, ...others] = near.filter((n) => n.d === closest).map((n) => n.word);
  if (only === undefined || others.length > 0) return undefined;
  const rest = tokens.slice(depth + 1).map((t) => (t.quoted ? `"${t.value}"` : t.value));
  return { typed: typed.value, meant: `/copro ${[...words.slice(0, depth), only, ...rest].join(' ')}` };
}

/**
 * The command meant when a word of a longer command came after its other words ("poll P7K2 close"
 * for "poll close P7K2", "buddy 4w pause" for "buddy pause 4w"), written out in full. `path` is
 * the words typed in place; the word moved must be the next word of a command that starts with
 * them, and the other words must fit that command, the first of them not in quotes (so that
 * poll "Tea?" close stays a poll). With `atOnce` (the line reads as a command already), only a
 * code (P7K2, F1, 3) directly before it.
 */
export function wordOutOfPlace(
  tokens: readonly Token[],
  path: readonly string[],
  specs: readonly CommandSpec[],
  fits: (spec: CommandSpec, args: readonly Token[]) => boolean,
  atOnce = false,
): { readonly typed: string; readonly meant: string } | undefined {
  const depth = path.length;
  const longer = (word: string) =>
    specs.find(
      (s) => s.path.length === depth + 1 && s.path[depth] === word && path.every((w, j) => s.path[j] === w),
    );
  const first = tokens[depth];
  if (!first || first.quoted) return undefined;
  if (atOnce && !/^[A-Za-z]*\d[A-Za-z0-9]*$/.test(first.value)) return undefined;
  const at = tokens.findIndex(
    (t, i) => i > depth && (!atOnce || i === depth + 1) && !t.quoted && longer(t.value.toLowerCase()),
  );
  const moved = tokens[at];
  const target = moved && longer(moved.value.toLowerCase());
  if (!moved || !target) return undefined;
  const rest = tokens.filter((_, i) => i >= depth && i !== at);
  // A code alone may still need more words ("feedback F1 close"): typed the right way round, the
  // person is told which.
  if (!fits(target, rest) && !(atOnce && rest.length === 1)) return undefined;
  const words = rest.map((t) => (t.quoted ? `"${t.value}"` : t.value));
  return { typed: moved.value, meant: `/copro ${[...path, moved.value.toLowerCase(), ...words].join(' ')}` };
}

/**
 * The part of the option's usage placeholder a value repeats word for word, if it does: a word in
 * capitals (ROLE), a list of choices (£25|none), a mention (@person), or a phrase in quotes that
 * describes rather than shows a value ("what you did", "Question?", not "next Tuesday 2pm").
 */
export function copiedPlaceholder(
  option: OptionSpec,
  value: string | string[] | true | undefined,
): string | undefined {
  if (value === undefined || value === true) return undefined;
  const shown = placeholder(option);
  // A poll's answers "Option A" "Option B" may be real (two designs to choose between); its
  // copied question ("Question?") tells a copy apart.
  const phrases = option.variadic
    ? []
    : [...shown.matchAll(/"([^"]+)"/g)].flatMap((m) => (m[1] && !/\d/.test(m[1]) ? [m[1]] : []));
  const whole = /^[A-Z]{1,12}$/.test(shown) || shown.includes('|') || /^@\w+$/.test(shown);
  for (const typed of Array.isArray(value) ? value : [value]) {
    const v = typed.trim();
    if (whole && v === shown) return shown;
    if (phrases.includes(v)) return `"${v}"`;
  }
  return undefined;
}
