import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import { catalogue } from '../../src/commands/catalogue.js';

/**
 * The Flesch-Kincaid grade of the words a member reads. The formula is the library's; what counts
 * as a sentence and a word here is what a reader meets in a chat message.
 */

/** The highest grade a member-facing string may have: about what a 13-year-old reads easily. */
export const MAX_GRADE = 8;

/**
 * Lines with fewer words than this are not scored. The formula is made for passages: on a label
 * or a five-word line one long word swings the grade by several points ("Send the participation
 * record" scores 12.5). Ten words is about one full sentence, and every line is scored apart, so
 * any sentence long enough to be hard to read is still scored.
 */
export const MIN_WORDS = 10;

/** Every command's words, longest first, so "/copro poll close" is one command and not "poll" then "close". */
const COMMAND_WORDS = [...new Set(catalogue.map((c) => c.path.join(' ')))]
  .filter((p) => p.length > 0)
  .sort((a, b) => b.length - a.length)
  .map((p) => p.replace(/[-\s]/g, (c) => (c === '-' ? '\\-' : '\\s+')))
  .join('|');

/**
 * Code-like tokens are taken out before scoring. A member copies `/copro poll close P7K2` or a
 * link rather than reading it as English; left in, "P7K2" or "https://…" count as words the
 * syllable counter can only guess at, and the formula would judge the command, not the prose.
 */
const CODE: readonly (readonly [RegExp, string])[] = [
  [/`[^`]*`/g, ' '], // code spans
  [/\[([^\]]*)\]\([^)]*\)/g, '$1'], // a markdown link: its label is read, its address is not
  [/https?:\/\/\S+/g, ' '], // addresses
  [/<[@#!][^>]*>/g, ' '], // mentions as the platforms write them
  // A command as typed: /copro, the command's words, then whatever looks like an argument
  // ("quoted values", --options, @names, PLACEHOLDERS and ids, numbers, a|b choices, [optional]).
  [
    new RegExp(
      `/copro(?:\\s+(?:${COMMAND_WORDS}))?(?:\\s+(?:"[^"]*"|“[^”]*”|--[a-z-]+|@\\w+|[A-Z][A-Z\\d_|-]*\\b|[£\\d][\\w.:£-]*|\\.\\.\\.|\\S*\\|\\S*|<[^>]*>|\\[[^\\]]*\\]))*`,
      'g',
    ),
    ' ',
  ],
  [/(^|\s)--[a-z][a-z-]*/g, '$1'], // an option name on its own, e.g. "--anonymous"
  [/\b[A-Z]+\d[A-Z\d]*\b/g, ' '], // codes and ids such as P7K2, M7K2, F3
  [/\b[A-Z]+(?:_[A-Z\d]+)+\b/g, ' '], // settings as typed, such as COPRO_ENCRYPTION_KEY
  [/\b[\w.+-]+@[\w-]+\.[\w.]+\b/g, ' '], // email addresses
  [/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, ' '], // time zone names such as Europe/London
];

/** The prose of a string: markdown and code-like tokens removed, link labels kept. */
export function prose(text: string): string {
  let out = text;
  for (const [pattern, replacement] of CODE) out = out.replace(pattern, replacement);
  return out.replace(/\*\*|__|(^|\s)_|_(\s|$)/g, ' ').replace(/[ \t]+/g, ' ');
}

/**
 * Sentences end at ".", "!" or "?" before a space or the end, and at every line break (a list
 * item or label has no full stop). "e.g. 3d" is not split: no capital follows.
 */
export function sentences(text: string): string[] {
  return prose(text)
    .split(/\n+|(?<=[.!?])["”’)]*\s+(?=[^a-z])/)
    .map((s) => s.trim())
    .filter((s) => words(s).length > 0);
}

/** Words are runs of letters (with apostrophes and inner hyphens); numbers and times are not words here. */
export function words(text: string): string[] {
  return text.match(/[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*/g) ?? [];
}

export interface Score {
  readonly grade: number;
  readonly words: number;
  readonly sentences: number;
}

/** The grade of one string (a line), or undefined when it is too short to score fairly. */
export function score(text: string): Score | undefined {
  const parts = sentences(text);
  const all = parts.flatMap(words);
  if (all.length < MIN_WORDS) return undefined;
  const syllables = all.reduce((n, w) => n + Math.max(1, syllable(w)), 0);
  const grade = fleschKincaid({ sentence: parts.length, word: all.length, syllable: syllables });
  return { grade: Math.round(grade * 10) / 10, words: all.length, sentences: parts.length };
}

/**
 * A message's lines, each scored on its own. Chat messages put each paragraph, list item and
 * label on a line of its own, and a member reads a line as one piece: scoring a whole message
 * would let one long, hard sentence hide among short easy lines.
 */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
