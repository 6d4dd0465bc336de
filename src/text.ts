/** Small pieces of member-facing wording, shared so every feature words things the same way. */
import { literal } from './chat/index.js';

/** How a person is named in a message: the platform turns it into their name. */
export const mention = (m: { readonly userId: string }): string => `<@${m.userId}>`;

/** "Ann", "Ann and Bo", "Ann, Bo and Cy". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "a researcher", "an expert by experience". */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** "1 vote", "3 votes", "2 people". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Member text quoted in curly quotes, as the digest shows questions and answers: shown as typed. */
export const quoted = (s: string): string => `“${literal(s)}”`;
