/**
 * Member-written text inside copro's markdown subset (see message.ts).
 *
 * A poll question, a role or group name, a display name: whatever a member typed must reach the
 * channel exactly as written, never as a link, a formatting mark or a mention. Otherwise
 * "<!channel>" in a poll question would make copro ping the whole workspace on someone's behalf.
 * Wrap such text in `literal()` before putting it in a text, heading, context or field block, or
 * in a message's fallback text. Button and select labels are plain text already: leave them be.
 *
 * The subset's escape is a backslash before ASCII punctuation, as in Discord's markdown. Each
 * adapter honours it: Slack writes the character with its own escaping, Discord keeps the
 * backslash, the terminal drops it.
 */

/** A backslash and the punctuation it makes literal. */
export const ESCAPED = /\\([!-/:-@[-`{-~])/g;

/** Characters with a meaning on some platform anywhere in a line. */
const ANYWHERE = /[\\*_~`|[\]<>]/g;
/** Line starts with a meaning: headings ("# ", "## "), lists ("- ", "+ "), Discord's subtext ("-# "). */
const LINE_START = /^([ \t]*)([#+-])(?=[ #])/gm;

/**
 * Mentions as platforms deliver them inside typed text: <@U123|sam>, <@123>, <!channel>,
 * <!subteam^S1|@team>, <#C1|general>. Inside member text they are shown as readable words.
 */
const TYPED_MENTION = /<([@#!])([^<>\n|]*)(?:\|([^<>\n]*))?>/g;

function readable(_whole: string, sigil: string, target: string, label: string | undefined): string {
  const prefix = sigil === '#' ? '#' : '@';
  const name = (label ?? target.split('^')[0] ?? '').replace(/^[@#!&]+/, '');
  return `${prefix}${name}`;
}

/** Member text made safe to place in copro's markdown: shown as written, never acted on. */
export function literal(text: string): string {
  return text.replace(TYPED_MENTION, readable).replace(ANYWHERE, '\\$&').replace(LINE_START, '$1\\$2');
}

/** Markdown with its escapes undone, for places that show plain text (Slack headers, buttons). */
export function unescapeMarkdown(text: string): string {
  return text.replace(ESCAPED, '$1');
}

/**
 * Run `transform` over markdown with every escaped character set aside, so that no formatting
 * rule can see it, then put each one back through `literalChar`. Placeholders are private-use
 * characters; one typed by a member comes back as the character it stands for, escaped like
 * any other, so it can never turn into markup.
 */
export function withEscapesAside(
  text: string,
  transform: (text: string) => string,
  literalChar: (char: string) => string,
): string {
  const aside = text.replace(ESCAPED, (_m, char: string) =>
    String.fromCharCode(PLACEHOLDER_BASE + char.charCodeAt(0)),
  );
  return transform(aside).replace(PLACEHOLDERS, (p) =>
    literalChar(String.fromCharCode(p.charCodeAt(0) - PLACEHOLDER_BASE)),
  );
}

const PLACEHOLDER_BASE = 0xe000;
const PLACEHOLDERS = /[\ue000-\ue07f]/g;
