import { withEscapesAside } from '../../src/chat/index.js';

/**
 * copro's small markdown subset → Slack mrkdwn, and the text splitting that keeps each piece
 * inside Slack's limits without breaking a mention, a link or an escaped character in two.
 */

/**
 * The only control sequences copro itself writes: a person (<@U123>) or a channel (<#C123>).
 * Anything else in angle brackets, <!channel>, <!here>, <!subteam^…>, a labelled mention or a
 * <url|label> link, is escaped and shown as typed, so member text can never ping a crowd.
 */
const MENTION = /<(?:@[A-Z0-9]+|#[A-Z0-9]+)>/g;

/** Slack wants &, < and > escaped everywhere except in copro's own mentions. */
export function escapeMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    out += escapePlain(text.slice(last, m.index));
    out += m[0];
    last = m.index + m[0].length;
  }
  return out + escapePlain(text.slice(last));
}

function escapePlain(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * **bold** → *bold*, [label](url) → <url|label>, "- " list items → bullets; mentions pass through.
 * A backslash-escaped character (member text, see src/chat/markdown.ts) takes part in none of
 * these and is written as itself.
 */
export function toMrkdwn(text: string): string {
  return withEscapesAside(
    text,
    (markdown) =>
      escapeMrkdwn(markdown)
        .replace(/\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^)\s]+)\)/g, (_m, label: string, url: string) => {
          return `<${url}|${label.replace(/\|/g, '/')}>`;
        })
        .replace(/\*\*(.+?)\*\*/g, '*$1*')
        .replace(/^- /gm, '• '),
    escapePlain,
  );
}

/** Spans that must not be cut: <…> control sequences and &amp;-style entities. */
function atomicSpans(text: string): [number, number][] {
  return [...text.matchAll(/<[^<>\n]*>|&(?:amp|lt|gt);/g)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * Split text into pieces of at most `max` characters, preferring paragraph, then line, then
 * word boundaries. Nothing is dropped: joining the pieces (with the separators they were cut
 * at) gives the text back.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces.filter((p, i) => p.length > 0 || i === 0);
}

function cutPoint(text: string, max: number): number {
  const spans = atomicSpans(text.slice(0, max + 300));
  const inside = (pos: number) => spans.some(([s, e]) => s < pos && pos < e);
  const floor = Math.floor(max / 2);
  for (const sep of ['\n\n', '\n', ' ']) {
    let pos = text.lastIndexOf(sep, max - sep.length);
    while (pos > floor) {
      if (!inside(pos)) return pos + sep.length;
      pos = text.lastIndexOf(sep, pos - 1);
    }
  }
  // No good boundary: cut hard, but never inside a mention, a link or an entity.
  const span = spans.find(([s, e]) => s < max && max < e);
  return span && span[0] > 0 ? span[0] : max;
}

/** Shorten a plain-text label to `max` characters, visibly (with an ellipsis), at a word if it can. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}
