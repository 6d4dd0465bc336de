import type { FormField } from '../../src/chat/index.js';

/**
 * What the terminal prints to ask one question of a form. Asked `again` after a problem, the
 * answer it has is the one with the problem: it is not offered to keep.
 */
export function questionLines(
  field: FormField,
  again = false,
  before?: string | readonly string[],
): string[] {
  const choices =
    'options' in field ? ` (${field.options.map((o, i) => `${i + 1}. ${o.label}`).join(', ')})` : '';
  const afresh =
    before !== undefined
      ? [`Before: ${shownAs(field, before)}. Type /skip to keep that.`]
      : field.required
        ? []
        : ['Type /skip to leave it empty.'];
  return [
    `${field.label}${field.required ? '' : ' (optional)'}${choices}`,
    ...(field.hint ? [field.hint] : []),
    ...(again ? afresh : currentAnswer(field)),
  ];
}

/** An answer as the question shows it: a choice by its label. */
function shownAs(field: FormField, answer: string | readonly string[]): string {
  if (!('options' in field)) return typeof answer === 'string' ? answer : answer.join(', ');
  const values = typeof answer === 'string' ? [answer] : answer;
  return values.map((v) => field.options.find((o) => o.value === v)?.label ?? v).join(', ');
}

// A Slack or Discord form shows its current answers filled in, and leaving one alone keeps it.
// The terminal does the same: say what is there now, and let /skip keep it.
function currentAnswer(field: FormField): string[] {
  const now = initialOf(field);
  if (now === undefined) return [];
  return [
    `Now: ${shownAs(field, now)}. Type /skip to keep it${field.required ? '' : ', or /clear to empty it'}.`,
  ];
}

/** The answer a question starts with, if it has one (an empty one counts as none). */
export function initialOf(field: FormField): string | readonly string[] | undefined {
  const now = field.initial;
  if (now === undefined || now.length === 0) return undefined;
  return now;
}
