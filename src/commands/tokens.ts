import { echo } from './values.js';

export interface Token {
  readonly value: string;
  /** Quoted tokens are never read as command words or --flags. */
  readonly quoted: boolean;
}

export type TokenResult = { ok: true; tokens: Token[] } | { ok: false; problem: string };

// Phones and Macs turn straight quotes into curly ones as people type; treat them all alike.
const OPEN_QUOTES: Record<string, string> = { '"': '"', '“': '”', '”': '”', '„': '“', '«': '»' };
const CLOSE_QUOTES = new Set(['"', '”', '“', '»']);

/** Split a command line into words and "quoted phrases". */
export function tokenize(line: string): TokenResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const close = OPEN_QUOTES[ch];
    if (close !== undefined) {
      let j = i + 1;
      while (j < line.length && !CLOSE_QUOTES.has(line[j] as string)) j++;
      if (j >= line.length) {
        return { ok: false, problem: 'A quote mark is not closed. Put a " at the end of the phrase.' };
      }
      // Words run on after the closing quote ("Tue"extra) are as much a slip as Tue": read apart,
      // they would quietly become one more answer.
      const after = /^[^\s"“”„«»]*/.exec(line.slice(j + 1))?.[0] ?? '';
      // (A phrase ending in a space is one left open, whose end took the next quote: see below.)
      if (/[\p{L}\p{N}]/u.test(after) && !/\s$/.test(line.slice(i + 1, j))) {
        return {
          ok: false,
          problem: `A quote mark is out of place in ${echo(line.slice(i, j + 1 + after.length), 30)}. Put quotes around a whole phrase, with a space before and after, like "Yes" "No".`,
        };
      }
      tokens.push({ value: line.slice(i + 1, j), quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !/\s/.test(line[j] as string)) j++;
    const word = line.slice(i, j);
    // 'Single quotes', usual in British writing, would be read as part of the words: a poll
    // "'Which" with the answers "day?'" and "'Mon'". (An apostrophe inside a word is fine.)
    if (/^['‘’‚]./.test(word))
      return {
        ok: false,
        problem: `Please put phrases in double quotes, like "Yes" "No". copro does not read ${echo(word, 30)} as the start of a phrase.`,
      };
    // A quote inside a word (Yes" or Yes"No) is a slip; read as text it would become part of an answer.
    if (!word.startsWith('--') && [...word].some((c) => c in OPEN_QUOTES || CLOSE_QUOTES.has(c))) {
      // `"Tea or coffee? "Tea" "Coffee"`: the phrase before was never closed, so its end swallowed
      // the quote that opened the next one. The slip is there, not in the word after it.
      const before = tokens.at(-1);
      if (before?.quoted && /\s$/.test(before.value) && CLOSE_QUOTES.has(word.at(-1) ?? '')) {
        const phrase = echo(before.value.trim(), 30);
        return {
          ok: false,
          problem: `A quote mark is missing after "${phrase}". Put a " at the end of each phrase, with a space before the next one, like "${phrase}" "${echo(word.slice(0, -1), 30)}".`,
        };
      }
      return {
        ok: false,
        problem: `A quote mark is out of place in ${echo(word, 30)}. Put quotes around a whole phrase, with a space before and after, like "Yes" "No".`,
      };
    }
    tokens.push({ value: word, quoted: false });
    i = j;
  }
  return { ok: true, tokens };
}
