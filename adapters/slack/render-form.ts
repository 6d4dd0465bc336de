import type { types } from '@slack/bolt';
import type { Form, FormField, FormValues } from '../../src/chat/index.js';
import { LIMITS, RenderError } from './limits.js';
import { shorten, toMrkdwn } from './mrkdwn.js';
import { option, optionList } from './render.js';

/** What travels with a modal in `private_metadata`: the form's own state and where it was opened. */
export interface FormMetadata {
  readonly state?: string;
  readonly channelId?: string;
}

/** A Form as a Slack modal. Field ids are the block ids, so field errors map straight back. */
export function renderForm(form: Form, metadata: FormMetadata = {}): types.ModalView {
  const privateMetadata = JSON.stringify({ s: metadata.state, c: metadata.channelId });
  if (privateMetadata.length > LIMITS.privateMetadata)
    throw new RenderError(`form state too long for Slack (${form.id})`);
  if (form.fields.length > LIMITS.viewBlocks - 1)
    throw new RenderError(`too many fields for one Slack modal (${form.id})`);
  const blocks: types.KnownBlock[] = [];
  if (form.title.length > LIMITS.modalTitle) {
    // The title bar holds 24 characters; the whole title opens the form instead.
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${toMrkdwn(shorten(form.title, LIMITS.sectionText))}*` },
    });
  }
  for (const field of form.fields) blocks.push(inputBlock(field));
  return {
    type: 'modal',
    callback_id: form.id,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: shorten(form.title, LIMITS.modalTitle), emoji: true },
    submit: { type: 'plain_text', text: shorten(form.submitLabel || 'Send', LIMITS.modalTitle), emoji: true },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function parseFormMetadata(raw: string | undefined): FormMetadata {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as { s?: unknown; c?: unknown };
    return {
      state: typeof parsed.s === 'string' ? parsed.s : undefined,
      channelId: typeof parsed.c === 'string' ? parsed.c : undefined,
    };
  } catch {
    return {};
  }
}

function inputBlock(field: FormField): types.InputBlock {
  return {
    type: 'input',
    block_id: field.id,
    optional: !field.required,
    label: { type: 'plain_text', text: shorten(field.label || field.id, LIMITS.inputLabel), emoji: true },
    ...(field.hint ? { hint: { type: 'plain_text', text: shorten(field.hint, LIMITS.inputLabel) } } : {}),
    element: inputElement(field),
  };
}

function inputElement(field: FormField): types.InputBlock['element'] {
  if (!('options' in field)) {
    const max = Math.min(field.maxLength, LIMITS.inputMaxLength);
    return {
      type: 'plain_text_input',
      action_id: field.id,
      multiline: field.kind === 'paragraph',
      max_length: max,
      ...(field.initial ? { initial_value: field.initial.slice(0, max) } : {}),
    };
  }
  const initial = field.options.filter((o) => field.initial?.includes(o.value)).map(option);
  if (field.kind === 'select') {
    return {
      type: 'static_select',
      action_id: field.id,
      placeholder: { type: 'plain_text', text: 'Choose one' },
      ...optionList(field.options),
      ...(initial[0] ? { initial_option: initial[0] } : {}),
    };
  }
  // Checkboxes hold 10 options; a longer list becomes a multi-select, which holds many more.
  if (field.options.length <= LIMITS.checkboxOptions) {
    return {
      type: 'checkboxes',
      action_id: field.id,
      options: field.options.map(option),
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    };
  }
  return {
    type: 'multi_static_select',
    action_id: field.id,
    placeholder: { type: 'plain_text', text: 'Choose any that apply' },
    ...optionList(field.options),
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  } as types.MultiStaticSelect;
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
};

/** view.state.values → FormValues by field id. Empty inputs come back as undefined. */
export function formValues(state: Record<string, Record<string, StateValue>> | undefined): FormValues {
  const values: Record<string, string | readonly string[] | undefined> = {};
  for (const [blockId, actions] of Object.entries(state ?? {})) {
    for (const v of Object.values(actions)) {
      if (v.type === 'checkboxes' || v.type === 'multi_static_select' || v.selected_options) {
        values[blockId] = (v.selected_options ?? []).map((o) => o.value);
      } else if (v.type === 'static_select' || v.selected_option !== undefined) {
        values[blockId] = v.selected_option?.value ?? undefined;
      } else {
        values[blockId] = v.value?.trim() ? v.value : undefined;
      }
    }
  }
  return values;
}
