import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type {
  Actor,
  ChatPlatform,
  Destination,
  EventHandler,
  Form,
  FormValues,
  Message,
  MessageRef,
} from '../../src/chat/index.js';
import { type Rendered, renderFormIntro, renderMessage } from './render.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Show a "> " prompt (only when a person is typing at a terminal). */
  readonly interactive: boolean;
  readonly startAs?: string;
}

export interface ConsolePlatform extends ChatPlatform {
  /** Resolves once the input has ended (or /quit) and every line has been handled. */
  readonly finished: Promise<void>;
}

const WORKSPACE = 'local';
const CHANNEL = 'general';

const INTRO = [
  "Welcome to copro's terminal chat. You are in the channel #general.",
  'Type /copro help to see the commands. Type /as NAME to speak as someone else, and /quit to leave.',
];

interface PendingForm {
  readonly form: Form;
  readonly actor: Actor;
  readonly values: Record<string, string | string[]>;
  index: number;
}

/**
 * A chat in the terminal, for trying copro without Slack or Discord. Lines are handled one at a
 * time, in order, so a script piped into stdin behaves exactly like someone typing.
 */
export function createConsolePlatform(options: ConsoleOptions): ConsolePlatform {
  const { input, output } = options;
  let name = options.startAs ?? 'Alex';
  let lastChoices: Rendered['choices'] = [];
  let pendingForm: PendingForm | undefined;
  let messageCount = 0;
  let handle: EventHandler | undefined;
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  // Created in start(): lines read before a listener exists would be lost.
  let rl: ReturnType<typeof createInterface> | undefined;

  const write = (lines: readonly string[]) => output.write(`${lines.join('\n')}\n`);
  const prompt = () => {
    if (options.interactive) output.write(`${name}> `);
  };
  const actor = (): Actor => ({
    platform: 'console',
    workspaceId: WORKSPACE,
    userId: name.toLowerCase(),
    displayName: name,
  });

  function show(header: string, message: Message): void {
    const rendered = renderMessage(message);
    if (rendered.choices.length > 0) lastChoices = rendered.choices;
    write([header, ...rendered.lines.map((l) => `  ${l}`), '']);
  }

  const base = () => {
    const who = actor();
    return {
      id: randomUUID(),
      actor: who,
      channelId: CHANNEL,
      channelName: CHANNEL,
      reply: async (message: Message, opts?: { private?: boolean }) =>
        show(opts?.private === false ? 'copro:' : `copro (only ${who.displayName} can see this):`, message),
      openForm: async (form: Form) => {
        pendingForm = { form, actor: who, values: {}, index: 0 };
        write(renderFormIntro(form));
        askNext();
      },
    };
  };

  function askNext(): void {
    const field = pendingForm?.form.fields[pendingForm.index];
    if (!field) return;
    const choices =
      'options' in field ? ` (${field.options.map((o, i) => `${i + 1}. ${o.label}`).join(', ')})` : '';
    write([
      ...(field.hint ? [field.hint] : []),
      `${field.label}${field.required ? '' : ' (optional)'}${choices}`,
    ]);
  }

  async function answerForm(line: string): Promise<void> {
    const pending = pendingForm as PendingForm;
    if (line === '/cancel') {
      pendingForm = undefined;
      write(['Form closed. Nothing was saved.']);
      return;
    }
    const field = pending.form.fields[pending.index];
    if (field && line !== '/skip') {
      if ('options' in field) {
        const picked = line
          .split(/[\s,]+/)
          .map((n) => field.options[Number(n) - 1]?.value)
          .filter((v): v is string => v !== undefined);
        pending.values[field.id] = field.kind === 'select' ? (picked[0] ?? '') : picked;
      } else {
        pending.values[field.id] = line;
      }
    }
    pending.index++;
    if (pending.index < pending.form.fields.length) return askNext();
    pendingForm = undefined;
    const outcome = await handle?.({
      kind: 'form',
      id: randomUUID(),
      actor: pending.actor,
      channelId: CHANNEL,
      formId: pending.form.id,
      state: pending.form.state,
      values: pending.values as FormValues,
      reply: base().reply,
    });
    if (outcome?.formErrors) {
      write(['Some answers need another look:', ...Object.values(outcome.formErrors).map((e) => `  - ${e}`)]);
      pendingForm = { ...pending, index: 0, values: {} };
      askNext();
    }
  }

  async function onLine(raw: string): Promise<'quit' | undefined> {
    const line = raw.trim();
    if (!handle) return;
    // In a form an empty line is an answer too: it leaves an optional question empty.
    if (pendingForm) return void (await answerForm(line === '' ? '/skip' : line));
    if (line === '') return;
    if (line === '/quit' || line === '/exit') return 'quit';
    const as = /^\/as\s+(.+)$/i.exec(line);
    if (as?.[1]) {
      name = as[1].trim().replace(/^@/, '');
      write([`You are now ${name}.`]);
      return;
    }
    const click = /^\/click\s+(\d+)$/i.exec(line);
    if (click) {
      const choice = lastChoices[Number(click[1]) - 1];
      if (!choice) return void write([`There is no choice ${click[1]} to click.`]);
      const ev = base();
      await handle({
        ...ev,
        kind: 'action',
        actionId: choice.actionId,
        value: choice.value,
        updateMessage: async (message) => show('copro (message updated):', message),
      });
      return;
    }
    const command = /^\/copro(?:\s+(.*))?$/is.exec(line);
    if (command) {
      await handle({ ...base(), kind: 'command', input: { kind: 'text', text: command[1] ?? '' } });
      return;
    }
    write(['copro only understands commands here. Type /copro help to see them.']);
  }

  return {
    kind: 'console',
    // Nothing to wait for in a terminal; answers kept to 80 characters still fit one line.
    limits: { sendRate: { post: [], update: [] }, buttonLabel: 80 },
    finished,
    async start(handler) {
      handle = handler;
      const lines = createInterface({ input, terminal: false });
      rl = lines;
      write(INTRO);
      prompt();
      // Lines are queued so each is fully handled before the next: order matters in a script.
      let queue = Promise.resolve();
      let quitting = false;
      lines.on('line', (line) => {
        queue = queue.then(async () => {
          if (quitting) return;
          if ((await onLine(line)) === 'quit') {
            quitting = true;
            lines.close();
            return;
          }
          prompt();
        });
      });
      lines.on('close', () => {
        void queue.then(() => resolveFinished());
      });
    },
    async stop() {
      rl?.close();
    },
    async post(to: Destination, message: Message): Promise<MessageRef> {
      const where =
        to.kind === 'channel'
          ? `#${to.channelId}`
          : to.kind === 'dm'
            ? `a direct message to @${to.userId}`
            : `a group message to ${to.userIds.map((u) => `@${u}`).join(', ')}`;
      messageCount++;
      show(`copro, in ${where}:`, message);
      return {
        platform: 'console',
        channelId: to.kind === 'channel' ? to.channelId : 'dm',
        messageId: String(messageCount),
      };
    },
    async update(ref: MessageRef, message: Message): Promise<void> {
      show(`copro (message ${ref.messageId} in #${ref.channelId} updated):`, message);
    },
  };
}
