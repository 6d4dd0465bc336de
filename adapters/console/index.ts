import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  type Actor,
  type ChatPlatform,
  characterCount,
  type Destination,
  type EventHandler,
  type FileAttachment,
  type Form,
  type FormField,
  type FormValues,
  type Message,
  type MessageRef,
  overLimitText,
} from '../../src/chat/index.js';
import { readChoices } from './choices.js';
import { printable, type Rendered, renderFormIntro, renderMessage } from './render.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Show a "> " prompt (only when a person is typing at a terminal). */
  readonly interactive: boolean;
  readonly startAs?: string;
  /** Where files copro sends (calendar entries, reports) are saved; the path is printed. */
  readonly filesDir: string;
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
  /** After copro found problems: only these questions are asked again; the other answers stay. */
  readonly again?: ReadonlySet<string>;
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
  /** Whether a /copro command has been typed since this run started (see the stray-text answer). */
  let usedSinceStart = false;
  let handle: EventHandler | undefined;
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  // Created in start(): lines read before a listener exists would be lost.
  let rl: ReturnType<typeof createInterface> | undefined;

  const write = (lines: readonly string[]) => output.write(printable(`${lines.join('\n')}\n`));
  const prompt = () => {
    if (options.interactive) output.write(printable(`${name}> `));
  };
  const actor = (): Actor => ({
    platform: 'console',
    workspaceId: WORKSPACE,
    userId: name.toLowerCase(),
    displayName: name,
  });

  /** Who has typed a command or clicked here: the terminal channel's members, as far as it knows. */
  const spoken = new Set<string>();

  /** The message the numbered choices sit on, when it is one copro posted (not a private answer). */
  let choicesOn: MessageRef | undefined;

  /** `replacing`: the message replaces the one the numbered choices were on, so those are gone. */
  function show(header: string, message: Message, ref?: MessageRef, replacing = false): void {
    const rendered = renderMessage(message);
    if (rendered.choices.length > 0 || replacing) {
      lastChoices = rendered.choices;
      choicesOn = rendered.choices.length > 0 ? ref : undefined;
    }
    const saved = (message.files ?? []).map((file) => `  File saved: ${saveFile(file)}`);
    write([header, ...rendered.lines.map((l) => `  ${l}`), ...saved, '']);
  }

  let fileCount = 0;
  /** A terminal has nowhere to attach a file: it is written beside the data, and its path shown. */
  function saveFile(file: FileAttachment): string {
    mkdirSync(options.filesDir, { recursive: true });
    fileCount += 1;
    const safe = file.name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'file';
    const path = resolve(join(options.filesDir, `${Date.now()}-${fileCount}-${safe}`));
    writeFileSync(path, file.content, { encoding: 'utf8', mode: 0o600 });
    return path;
  }

  const base = () => {
    const who = actor();
    spoken.add(who.userId);
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
      `${field.label}${field.required ? '' : ' (optional)'}${choices}`,
      ...(field.hint ? [field.hint] : []),
      ...currentAnswer(field),
    ]);
  }

  // A Slack or Discord form shows its current answers filled in, and leaving one alone keeps it.
  // The terminal does the same: say what is there now, and let /skip keep it.
  function currentAnswer(field: FormField): string[] {
    const now = initialOf(field);
    if (now === undefined) return [];
    const shown =
      'options' in field
        ? (now as readonly string[])
            .map((v) => field.options.find((o) => o.value === v)?.label ?? v)
            .join(', ')
        : now;
    return [`Now: ${shown}. Type /skip to keep it${field.required ? '' : ', or /clear to empty it'}.`];
  }

  function initialOf(field: FormField): string | readonly string[] | undefined {
    const now = field.initial;
    if (now === undefined || now.length === 0) return undefined;
    return now;
  }

  async function answerForm(line: string): Promise<'quit' | undefined> {
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
    if (field && line === '/skip') {
      const kept = initialOf(field);
      if (kept !== undefined)
        pending.values[field.id] =
          typeof kept === 'string' ? kept : field.kind === 'select' ? (kept[0] ?? '') : [...kept];
    } else if (field && line === '/clear') {
      pending.values[field.id] = field.kind === 'checkboxes' ? [] : '';
    } else if (field) {
      if ('options' in field) {
        const picked = readChoices(field, line);
        if (!picked.ok) {
          write([picked.problem]);
          askNext();
          return;
        }
        pending.values[field.id] = field.kind === 'select' ? (picked.values[0] ?? '') : picked.values;
      } else {
        // A Slack or Discord box stops at the field's limit; here the answer is checked at once,
        // rather than after the whole form against a larger ceiling.
        const length = characterCount(line);
        if (field.maxLength !== undefined && length > field.maxLength) {
          write([overLimitText(field.maxLength, length)]);
          askNext();
          return;
        }
        pending.values[field.id] = line;
      }
    }
    pending.index = nextQuestion(pending, pending.index + 1);
    if (pending.index < pending.form.fields.length) {
      askNext();
      return;
    }
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
      // Several questions can fail for one reason (places left out of order): say each reason once.
      const labels = new Map(pending.form.fields.map((f) => [f.id, f.label]));
      const reasons = new Map<string, string>();
      for (const [id, problem] of Object.entries(outcome.formErrors))
        if (!reasons.has(problem)) reasons.set(problem, labels.get(id) ?? id);
      write([
        'Some answers need another look:',
        ...[...reasons].map(([problem, label]) => `  - ${label}: ${problem}`),
      ]);
      // Only the answers with a problem are asked again: what was typed for the rest is kept.
      const again = new Set(Object.keys(outcome.formErrors));
      pendingForm = { ...pending, again, index: nextQuestion({ ...pending, again }, 0) };
      askNext();
    }
  }

  /** The first question from `from` on that is to be asked. */
  function nextQuestion(pending: PendingForm, from: number): number {
    let index = from;
    const { fields } = pending.form;
    while (index < fields.length && pending.again && !pending.again.has(fields[index]?.id ?? '')) index++;
    return index;
  }

  async function onLine(raw: string): Promise<'quit' | undefined> {
    const line = raw.trim();
    if (!handle) return;
    // In a form an empty line is an answer too: it leaves an optional question empty.
    if (pendingForm) return answerForm(line === '' ? '/skip' : line);
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
      if (!choice) {
        return void write([
          lastChoices.length === 0
            ? 'There is nothing to click: the last message has no choices, and choices from before copro restarted are gone. To carry on your welcome, type /copro join; to see the open polls with their buttons, type /copro polls.'
            : `There is no choice ${click[1]}: the last choices shown were numbered 1 to ${lastChoices.length}.`,
        ]);
      }
      const ev = base();
      await handle({
        ...ev,
        kind: 'action',
        actionId: choice.actionId,
        value: choice.value,
        ...(choicesOn ? { message: choicesOn, channelId: choicesOn.channelId } : {}),
        updateMessage: async (message) => show('copro (message updated):', message, choicesOn, true),
      });
      return;
    }
    const command = /^\/copro(?:\s+(.*))?$/is.exec(line);
    if (command) {
      usedSinceStart = true;
      await handle({ ...base(), kind: 'command', input: { kind: 'text', text: command[1] ?? '' } });
      return;
    }
    write([
      'copro only understands commands here. Type /copro help to see them.',
      // Before any command, stray text is most likely an answer to a form open when copro stopped
      // (forms live only in memory); after one, saying so would only worry people.
      ...(usedSinceStart
        ? []
        : [
            'If you were filling in a form when copro restarted, that form was lost and nothing in it was saved. Open it again the way you did before (for your welcome, type /copro join).',
          ]),
    ]);
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
      const ref: MessageRef = {
        platform: 'console',
        channelId: to.kind === 'channel' ? to.channelId : 'dm',
        messageId: String(messageCount),
      };
      show(`copro, in ${where}:`, message, ref);
      return ref;
    },
    async update(ref: MessageRef, message: Message): Promise<void> {
      show(`copro (message ${ref.messageId} in #${ref.channelId} updated):`, message, ref);
    },
    // Everyone typing here is in the terminal's one channel; a name only mentioned is not.
    isChannelMember: async (_workspaceId, _channelId, userId) => spoken.has(userId),
  };
}
