/** Platform-neutral form (a Slack modal, a Discord modal, a prompt sequence in the console). */
export type FormField =
  | {
      readonly kind: 'short' | 'paragraph';
      readonly id: string;
      readonly label: string;
      readonly required?: boolean;
      readonly hint?: string;
      readonly initial?: string;
      /** The most characters an answer may have: the platform's box stops there, and the core checks it. */
      readonly maxLength: number;
    }
  | {
      readonly kind: 'select' | 'checkboxes';
      readonly id: string;
      readonly label: string;
      readonly required?: boolean;
      readonly hint?: string;
      readonly options: readonly { readonly label: string; readonly value: string }[];
      readonly initial?: readonly string[];
    };

export interface Form {
  /** Routes the submission back to a feature, e.g. "onboarding.profile". */
  readonly id: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly FormField[];
  /** Opaque state carried through to the submission (for example a poll id). */
  readonly state?: string;
}

/** What a person typed or chose, by field id. Checkboxes and selects give lists. */
export type FormValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Characters as people count them: an emoji or an accented letter is one. */
export const characterCount = (text: string): number => [...text].length;

/** A number as people read it: 4,000 rather than 4000. */
export const readableNumber = (n: number): string => n.toLocaleString('en-GB');

/** The plain answer for text over its limit, the same in forms and commands. */
export function overLimitText(max: number, length: number): string {
  return `Please keep this to ${readableNumber(max)} characters or fewer (it has ${readableNumber(length)}).`;
}

/**
 * Field errors for answers longer than their form allows, by field id. The platforms stop people
 * typing more, but a submission is checked again here: forms reach copro from outside, and a
 * handler stores nothing while this has anything to say.
 */
export function lengthErrors(
  limits: Readonly<Record<string, number>>,
  values: FormValues,
  say: (max: number, length: number) => string = overLimitText,
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const [id, value] of Object.entries(values)) {
    const max = limits[id] ?? MAX_FORM_ANSWER;
    const longest = Math.max(0, ...(typeof value === 'string' ? [value] : (value ?? [])).map(characterCount));
    if (longest > max) errors[id] = say(max, longest);
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * Control characters other than tabs and line breaks: invisible, never meant, and Postgres cannot
 * store NUL at all. They arrive from copying and pasting, in commands and in forms alike.
 * With them, the marks that force the direction text is shown in (U+202A–U+202E, U+2066–U+2069):
 * one can make a poll answer or a name read as something else. Right-to-left writing needs none
 * of them, and the direction marks it does use (U+200E, U+200F) are kept.
 */
export const CONTROL_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/**
 * Field errors for answers with a hidden control character (tabs and line breaks are fine), by
 * field id. They come with pasted text, are never meant, and Postgres cannot store NUL at all: as
 * in a command, the person is asked to type the answer again.
 */
export function controlCharacterErrors(values: FormValues): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const [id, value] of Object.entries(values)) {
    const answers = typeof value === 'string' ? [value] : (value ?? []);
    if (answers.some((a) => CONTROL_CHARACTER.test(a)))
      errors[id] =
        'This has a hidden control character in it (this can happen when text is copied and pasted), and copro cannot keep it. Please type it again rather than pasting it.';
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * Answers longer than any form takes, by field id: refused before the form's own checks. The
 * form's own limit may be far lower (a name: 80), so the answer names none, only the length.
 */
export function ceilingErrors(values: FormValues): Record<string, string> | undefined {
  return lengthErrors(
    {},
    values,
    (_max, length) =>
      `This is far too long (it has ${readableNumber(length)} characters). Please make it much shorter.`,
  );
}

/** No answer to any form is longer than this, whatever the form (Discord's own most is 4,000). */
export const MAX_FORM_ANSWER = 4000;
