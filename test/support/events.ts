import { randomUUID } from 'node:crypto';
import type {
  ActionEvent,
  Actor,
  CommandEvent,
  Form,
  FormEvent,
  FormValues,
  Message,
} from '../../src/chat/index.js';

export interface Said {
  readonly message: Message;
  readonly private: boolean;
}

/** A person in the terminal workspace, as the console adapter would describe them. */
export function person(name: string, extra: Partial<Actor> = {}): Actor {
  return {
    platform: 'console',
    workspaceId: 'local',
    userId: name.toLowerCase(),
    displayName: name,
    ...extra,
  };
}

/**
 * A typed command as an adapter hands it to the core, recording what the core answers.
 * This stands in for the platform only; everything behind `handle` is the real thing.
 */
export function typed(
  actor: Actor,
  text: string,
  channelId = 'general',
): { event: CommandEvent; said: Said[]; forms: Form[] } {
  const said: Said[] = [];
  const forms: Form[] = [];
  const event: CommandEvent = {
    kind: 'command',
    id: randomUUID(),
    actor,
    channelId,
    channelName: channelId,
    input: { kind: 'text', text },
    reply: async (message, options) => {
      said.push({ message, private: options?.private !== false });
    },
    openForm: async (form) => {
      forms.push(form);
    },
  };
  return { event, said, forms };
}

/** A button press or select choice, as an adapter hands it to the core. */
export function clicked(
  actor: Actor,
  actionId: string,
  value: string,
): { event: ActionEvent; said: Said[]; forms: Form[] } {
  const said: Said[] = [];
  const forms: Form[] = [];
  const event: ActionEvent = {
    kind: 'action',
    id: randomUUID(),
    actor,
    channelId: 'general',
    actionId,
    value,
    reply: async (message, options) => {
      said.push({ message, private: options?.private !== false });
    },
    updateMessage: async (message) => {
      said.push({ message, private: false });
    },
    openForm: async (form) => {
      forms.push(form);
    },
  };
  return { event, said, forms };
}

/** A submitted form. */
export function submitted(
  actor: Actor,
  formId: string,
  values: FormValues,
  state?: string,
): { event: FormEvent; said: Said[] } {
  const said: Said[] = [];
  const event: FormEvent = {
    kind: 'form',
    id: randomUUID(),
    actor,
    formId,
    values,
    state,
    reply: async (message, options) => {
      said.push({ message, private: options?.private !== false });
    },
  };
  return { event, said };
}
