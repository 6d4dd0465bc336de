/**
 * Splits text into pieces of at most `max` UTF-16 units, preferring paragraph breaks, then line
 * breaks, then spaces, so nothing is lost and markdown lines stay whole where they can.
 * Only the whitespace a piece was split at is dropped.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const [end, skip] = cutPoint(rest, max);
    const head = rest.slice(0, end);
    if (head.trim() !== '') pieces.push(head);
    rest = rest.slice(end + skip);
  }
  if (rest.trim() !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}

const SEPARATORS = ['\n\n', '\n', ' '] as const;

/** Where to cut (end of the head) and how many separator characters to drop after it. */
function cutPoint(text: string, max: number): [number, number] {
  // A break late in the piece keeps pieces full; only when there is none, take any break at all.
  for (const minimum of [Math.floor(max / 2), 1]) {
    for (const sep of SEPARATORS) {
      const at = text.lastIndexOf(sep, max - sep.length);
      if (at >= minimum) return [at, sep.length];
    }
  }
  // One unbroken run longer than the limit (a long link): cut it, but never inside a surrogate pair.
  // Nor between a backslash and the character it escapes.
  const code = text.charCodeAt(max - 1);
  const end = (code >= 0xd800 && code <= 0xdbff) || escapesNext(text, max - 1) ? max - 1 : max;
  return [end, 0];
}

/** Whether the character at `at` is a backslash that escapes the one after it. */
function escapesNext(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes >= 0 && text[at - backslashes] === '\\') backslashes++;
  return backslashes % 2 === 1;
}
