import {
  type Actor,
  characterCount,
  type EventOutcome,
  type Form,
  type FormField,
  type FormValues,
  overLimitText,
} from '../../src/chat/index.js';
import { readChoices } from './choices.js';
import { initialOf, questionLines } from './question.js';
import { renderFormIntro } from './render.js';

interface PendingForm {
  readonly form: Form;
  readonly actor: Actor;
  readonly values: Record<string, string | string[]>;
  index: number;
  /** After copro found problems: only these questions are asked again; the other answers stay. */
  readonly again?: ReadonlySet<string>;
}

export interface FormSessionOptions {
  readonly write: (lines: readonly string[]) => void;
  /** Hands the finished answers to copro; its outcome names the answers that need another look. */
  readonly submit: (form: Form, actor: Actor, values: FormValues) => Promise<EventOutcome | undefined>;
}

/** A form filled in one question at a time: while one is open, every line typed answers it. */
export interface FormSession {
  readonly isOpen: () => boolean;
  readonly open: (form: Form, actor: Actor) => void;
  readonly answer: (line: string) => Promise<'quit' | undefined>;
}

export function createFormSession({ write, submit }: FormSessionOptions): FormSession {
  let pendingForm: PendingForm | undefined;

  function askNext(): void {
    const field = pendingForm?.form.fields[pendingForm.index];
    if (!field || !pendingForm) return;
    const again = pendingForm.again?.has(field.id) ?? false;
    write(questionLines(field, again, again ? keepable(pendingForm, field) : undefined));
  }

  async function answer(line: string): Promise<'quit' | undefined> {
    const pending = pendingForm as PendingForm;
    const leaving = line === '/quit' || line === '/exit';
    if (line === '/cancel' || leaving) {
      pendingForm = undefined;
      write(['Form closed. Nothing was saved.']);
      return leaving ? 'quit' : undefined;
    }
    // Terminal commands are not answers: say so, rather than saving "/click 1" as someone's reply.
    if (/^\/(click|as|copro|help)\b/i.test(line)) {
      write([
        `You are in the middle of the form "${pending.form.title}". Answer the question above, type /skip to leave it empty, or /cancel to close the form.`,
      ]);
      return;
    }
    const field = pending.form.fields[pending.index];
    if (field) {
      const problem = record(pending, field, line);
      if (problem) {
        write([problem]);
        askNext();
        return;
      }
    }
    pending.index = nextQuestion(pending, pending.index + 1);
    if (pending.index < pending.form.fields.length) {
      askNext();
      return;
    }
    pendingForm = undefined;
    const outcome = await submit(pending.form, pending.actor, pending.values as FormValues);
    if (outcome?.formErrors) {
      // Several questions can fail for one reason (places left out of order): say each reason once.
      const labels = new Map(pending.form.fields.map((f) => [f.id, f.label]));
      const reasons = new Map<string, string>();
      for (const [id, problem] of Object.entries(outcome.formErrors))
        if (!reasons.has(problem)) reasons.set(problem, labels.get(id) ?? id);
      // An earlier answer cannot be gone back to here, so the way on is said each time.
      write([
        'Some answers need another look:',
        ...[...reasons].map(([problem, label]) => `  - ${label}: ${problem}`),
        'Answer again below, or type /cancel to close the form without saving.',
      ]);
      // Only the answers with a problem are asked again: what was typed for the rest is kept.
      const again = new Set(Object.keys(outcome.formErrors));
      pendingForm = { ...pending, again, index: nextQuestion({ ...pending, again }, 0) };
      askNext();
    }
  }

  return {
    isOpen: () => pendingForm !== undefined,
    open(form, actor) {
      pendingForm = { form, actor, values: {}, index: 0 };
      write(renderFormIntro(form));
      askNext();
    },
    answer,
  };
}

/** Keeps the typed answer to `field`, or says in a sentence why it can't be kept. */
function record(pending: PendingForm, field: FormField, line: string): string | undefined {
  if (line === '/skip') {
    // Asked again after a problem, /skip leaves it empty: keeping the answer would keep the problem.
    const again = pending.again?.has(field.id);
    const kept = again ? keepable(pending, field) : initialOf(field);
    if (again && kept === undefined && field.required)
      return 'This question needs an answer: type one, or /cancel to close the form.';
    if (kept === undefined) delete pending.values[field.id];
    else
      pending.values[field.id] =
        typeof kept === 'string' ? kept : field.kind === 'select' ? (kept[0] ?? '') : [...kept];
  } else if (line === '/clear') {
    pending.values[field.id] = field.kind === 'checkboxes' ? [] : '';
  } else if ('options' in field) {
    const picked = readChoices(field, line);
    if (!picked.ok) return picked.problem;
    pending.values[field.id] = field.kind === 'select' ? (picked.values[0] ?? '') : picked.values;
  } else {
    // A Slack or Discord box stops at the field's limit; here the answer is checked at once,
    // rather than after the whole form against a larger ceiling.
    const length = characterCount(line);
    if (field.maxLength !== undefined && length > field.maxLength)
      return overLimitText(field.maxLength, length);
    pending.values[field.id] = line;
  }
  return undefined;
}

/**
 * Asked again after a problem, what /skip keeps: the answer the form started with, when the
 * person had typed another (an edit they got wrong, such as a length of 0m: the meeting keeps the
 * one it had). When the answer with the problem is the one it started with, nothing is kept.
 */
function keepable(pending: PendingForm, field: FormField): string | readonly string[] | undefined {
  const initial = initialOf(field);
  if (initial === undefined) return undefined;
  const given = pending.values[field.id];
  const asList = (a: string | readonly string[]) => JSON.stringify(typeof a === 'string' ? [a] : a);
  return given !== undefined && asList(given) === asList(initial) ? undefined : initial;
}

/** The first question from `from` on that is to be asked. */
function nextQuestion(pending: PendingForm, from: number): number {
  let index = from;
  const { fields } = pending.form;
  while (index < fields.length && pending.again && !pending.again.has(fields[index]?.id ?? '')) index++;
  return index;
}
