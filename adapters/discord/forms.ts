import { randomBytes } from 'node:crypto';
import {
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmissionComponent,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { Form, FormField, FormValues } from '../../src/chat/index.js';
import { encodeCustomId } from './custom-id.js';
import { clip, LIMITS } from './limits.js';
import { selectOption } from './render.js';

/**
 * Custom ids of the adapter's own controls, handled here and never passed to the core: a modal
 * page, and the button that opens one.
 */
export const FORM_PAGE = '~form';
export const OPEN_PAGE = '~page';

/** Which page of which form a modal or a button stands for: "key:page". */
export function pageRef(session: FormSession, page: number): string {
  return `${session.key}:${page}`;
}

export function parsePageRef(value: string): { key: string; page: number } {
  const at = value.lastIndexOf(':');
  return { key: value.slice(0, at), page: Math.max(0, Number(value.slice(at + 1)) || 0) };
}

/** A form someone is filling in, possibly over several modals. */
export interface FormSession {
  readonly key: string;
  readonly form: Form;
  readonly userId: string;
  /** The server, when the form was opened from a direct message. */
  readonly scope?: string;
  readonly pages: readonly (readonly FormField[])[];
  readonly values: Record<string, string | readonly string[] | undefined>;
  expiresAt: number;
}

/**
 * Forms in progress, in memory. Discord's modals hold 5 inputs and cannot chain into one another,
 * so a longer form is asked a page at a time (a "Continue" button between pages), and a form
 * the core sends back with errors is reopened with the answers already given. A restart loses
 * forms in progress; the person is told to start again.
 */
export class FormSessions {
  private readonly sessions = new Map<string, FormSession>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  open(form: Form, userId: string, scope?: string): FormSession {
    this.sweep();
    const key = randomBytes(6).toString('base64url');
    const initial: Record<string, string | readonly string[] | undefined> = {};
    for (const field of form.fields) initial[field.id] = field.initial;
    const session = { key, form, userId, scope, pages: paginate(form.fields), values: initial, expiresAt: 0 };
    session.expiresAt = this.now() + this.ttlMs;
    this.sessions.set(key, session);
    return session;
  }

  /** The session, if it is still open and belongs to this person. */
  get(key: string, userId: string): FormSession | undefined {
    const session = this.sessions.get(key);
    if (!session || session.userId !== userId || session.expiresAt < this.now()) return undefined;
    session.expiresAt = this.now() + this.ttlMs;
    return session;
  }

  close(key: string): void {
    this.sessions.delete(key);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(key);
  }
}

type ChoiceField = Extract<FormField, { readonly options: unknown }>;

function isChoice(field: FormField): field is ChoiceField {
  return field.kind === 'select' || field.kind === 'checkboxes';
}

/** How many modal components a field takes: selects over 25 options are split into parts. */
function parts(field: FormField): number {
  return isChoice(field) ? Math.max(1, Math.ceil(field.options.length / LIMITS.selectOptions)) : 1;
}

function paginate(fields: readonly FormField[]): FormField[][] {
  const pages: FormField[][] = [[]];
  let used = 0;
  for (const field of fields) {
    const size = parts(field);
    if (used + size > LIMITS.modalComponents && pages[pages.length - 1]!.length > 0) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1]!.push(field);
    used += size;
  }
  return pages;
}

/** The modal for one page, showing the answers given so far. */
export function modalFor(session: FormSession, page: number): APIModalInteractionResponseCallbackData {
  const total = session.pages.length;
  const suffix = total > 1 ? ` (${page + 1} of ${total})` : '';
  return {
    custom_id: encodeCustomId(FORM_PAGE, 0, pageRef(session, page)),
    title: clip(session.form.title, LIMITS.modalTitle - suffix.length) + suffix,
    components: (session.pages[page] ?? []).flatMap((field) => labelsFor(field, session.values[field.id])),
  };
}

function labelsFor(field: FormField, value: string | readonly string[] | undefined): APILabelComponent[] {
  // Labels hold 45 characters; a longer question is kept whole in the description below it.
  const label = clip(field.label, LIMITS.labelText);
  const description = [label !== field.label ? field.label : undefined, field.hint].filter(Boolean).join(' ');
  const described = description ? { description: clip(description, LIMITS.labelDescription) } : {};
  if (!isChoice(field)) {
    const text = typeof value === 'string' ? value : undefined;
    const max = Math.min(field.maxLength, LIMITS.textInputValue);
    return [
      {
        type: ComponentType.Label,
        label,
        ...described,
        component: {
          type: ComponentType.TextInput,
          custom_id: field.id,
          style: field.kind === 'short' ? TextInputStyle.Short : TextInputStyle.Paragraph,
          required: field.required ?? false,
          max_length: max,
          // Discord refuses a prefilled value longer than the box allows.
          ...(text ? { value: [...text].slice(0, max).join('') } : {}),
        },
      },
    ];
  }
  const chosen = new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
  const count = parts(field);
  return Array.from({ length: count }, (_, part) => {
    const options = field.options.slice(part * LIMITS.selectOptions, (part + 1) * LIMITS.selectOptions);
    const partLabel = count > 1 ? ` (${part + 1} of ${count})` : '';
    return {
      type: ComponentType.Label,
      label: clip(field.label, LIMITS.labelText - partLabel.length) + partLabel,
      ...described,
      component: {
        type: ComponentType.StringSelect,
        custom_id: part === 0 ? field.id : `${field.id}~${part}`,
        options: options.map((o) => selectOption(o, chosen.has(o.value))),
        // A single choice is enforced by the core when a long list is split into parts.
        min_values: field.required && count === 1 ? 1 : 0,
        max_values: field.kind === 'select' ? 1 : options.length,
        required: Boolean(field.required && count === 1),
      },
    } satisfies APILabelComponent;
  });
}

/** Reads one submitted page into the session's answers (text as a string, choices as lists). */
export function readPage(
  session: FormSession,
  page: number,
  submitted: readonly APIModalSubmissionComponent[],
): void {
  const answers = new Map<string, string | readonly string[]>();
  for (const component of submitted) {
    const inner =
      'component' in component
        ? [component.component]
        : 'components' in component
          ? component.components
          : [];
    for (const c of inner) {
      if ('value' in c && typeof c.value === 'string') answers.set(c.custom_id, c.value);
      if ('values' in c && Array.isArray(c.values)) answers.set(c.custom_id, c.values);
    }
  }
  for (const field of session.pages[page] ?? []) {
    if (!isChoice(field)) {
      const text = answers.get(field.id);
      session.values[field.id] = typeof text === 'string' && text !== '' ? text : undefined;
      continue;
    }
    const chosen: string[] = [];
    for (let part = 0; part < parts(field); part++) {
      const got = answers.get(part === 0 ? field.id : `${field.id}~${part}`);
      if (Array.isArray(got)) chosen.push(...got);
    }
    session.values[field.id] = chosen;
  }
}

export function answers(session: FormSession): FormValues {
  return { ...session.values };
}

/** The page holding the first field the core found a problem with. */
export function pageOf(session: FormSession, fieldIds: readonly string[]): number {
  const index = session.pages.findIndex((fields) => fields.some((f) => fieldIds.includes(f.id)));
  return Math.max(0, index);
}
