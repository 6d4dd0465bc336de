import type { FormField } from '../../src/chat/index.js';

type OptionsField = Extract<FormField, { kind: 'select' | 'checkboxes' }>;

export type Picked = { ok: true; values: string[] } | { ok: false; problem: string };

const unquote = (s: string) =>
  s
    .trim()
    .replace(/^["“”']+|["“”']+$/g, '')
    .trim();

/** One typed choice: its number in the list, or its name (any case). */
function pickOne(field: OptionsField, typed: string): string | undefined {
  const text = unquote(typed);
  if (/^\d+$/.test(text)) return field.options[Number(text) - 1]?.value;
  const lower = text.toLowerCase();
  const exact = field.options.find((o) => o.label.toLowerCase() === lower);
  if (exact) return exact.value;
  // "No" for "No: coordinators give roles": a label's first words, before its explanation.
  const led = field.options.filter((o) => leadOf(o.label) === lower);
  return led.length === 1 ? led[0]?.value : undefined;
}

const leadOf = (label: string) => (label.split(/[:(]/)[0] ?? '').trim().toLowerCase();

/** A yes-or-no question shown as one box to tick ("1. Yes"): "no" leaves it unticked. */
const saysNo = (field: OptionsField, line: string) =>
  field.kind === 'checkboxes' &&
  field.options.length === 1 &&
  leadOf(field.options[0]?.label ?? '') === 'yes' &&
  /^(no|n)$/i.test(unquote(line));

/**
 * Read a terminal answer to a question with choices. A choice is typed by number or by name;
 * checkboxes take several, separated by commas (or spaces, when they are all numbers). Anything
 * that is not a choice is named in one plain sentence, and nothing is picked.
 */
export function readChoices(field: OptionsField, line: string): Picked {
  if (saysNo(field, line)) return { ok: true, values: [] };
  const whole = pickOne(field, line);
  if (whole !== undefined) return { ok: true, values: [whole] };
  const pieces =
    field.kind === 'checkboxes'
      ? (/^[\d\s,]+$/.test(line) ? line.split(/[\s,]+/) : line.split(','))
          .map((p) => p.trim())
          .filter(Boolean)
      : [line.trim()];
  const values: string[] = [];
  const unknown: string[] = [];
  for (const piece of pieces) {
    const value = pickOne(field, piece);
    if (value === undefined) unknown.push(unquote(piece));
    else if (!values.includes(value)) values.push(value);
  }
  if (unknown.length === 0 && (field.kind === 'checkboxes' || values.length === 1))
    return { ok: true, values };
  const what = unknown.map((u) => `"${u}"`).join(' and ');
  const count = field.options.length;
  return {
    ok: false,
    problem:
      `${what} ${unknown.length === 1 ? 'is' : 'are'} not one of the choices. ` +
      `Type a number from 1 to ${count}, or the name of a choice${field.kind === 'checkboxes' ? ' (several: separate them with commas)' : ''}.` +
      (field.required ? '' : ' To leave it empty, type /skip.'),
  };
}
