import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type {
  Actor,
  ChatPlatform,
  Destination,
  EventHandler,
  Form,
  Message,
  MessageRef,
} from '../../src/chat/index.js';
import { createFormSession } from './form-session.js';
import { printable, type Rendered, renderMessage } from './render.js';
import { createFileSaver } from './saved-files.js';

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

/**
 * A chat in the terminal, for trying copro without Slack or Discord. Lines are handled one at a
 * time, in order, so a script piped into stdin behaves exactly like someone typing.
 */
export function createConsolePlatform(options: ConsoleOptions): ConsolePlatform {
  const { input, output } = options;
  let name = options.startAs ?? 'Alex';
  /** What /click N presses: the choices last shown, each with the message it sits on. */
  let lastChoices: (Rendered['choices'][number] & { on?: MessageRef })[] = [];
  /** Whether this run has shown any choices: if not, the ones someone means are from before it. */
  let choicesSinceStart = false;
  /** Lines typed so far, and the one the choices were shown in answer to. */
  let turn = 0;
  let choicesTurn = -1;
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

  const saveFile = createFileSaver(options.filesDir);

  /**
   * `replacing`: the message replaces the one the numbered choices were on, so those are gone.
   * Choices shown in answer to one line are numbered together: a note that follows the next step
   * of a welcome (a private role's "show it" button, say) must not take over the step's "1".
   */
  function show(header: string, message: Message, ref?: MessageRef, replacing = false, edit = false): void {
    // A new look of a message whose choices are shown replaces them, as a message update would.
    const again =
      ref && lastChoices.some((c) => c.on?.messageId === ref.messageId && c.on.channelId === ref.channelId);
    // An edit of another message (the poll voted on from /copro polls' list) leaves the numbers
    // someone is working through alone: its buttons are shown, not numbered.
    const keep = edit && !again && lastChoices.length > 0;
    const adding = !keep && !replacing && !again && choicesTurn === turn && lastChoices.length > 0;
    const rendered = renderMessage(message, keep ? 'unnumbered' : adding ? lastChoices.length + 1 : 1);
    if (rendered.choices.length > 0) choicesSinceStart = true;
    if (!keep && (rendered.choices.length > 0 || replacing)) {
      // A private answer's buttons sit on no message copro can point to.
      const shown = rendered.choices.map((choice) => ({ ...choice, ...(ref ? { on: ref } : {}) }));
      lastChoices = adding ? [...lastChoices, ...shown] : shown;
      choicesTurn = turn;
    }
    const saved = (message.files ?? []).map((file) => `  File saved: ${saveFile(file)}`);
    write([header, ...rendered.lines.map((l) => `  ${l}`), ...saved, '']);
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
      // Opened once the answer to the command or click is printed: the answer says the form is
      // open, and the form's first question is what the next line answers.
      openForm: async (form: Form) => {
        formsToOpen.push(() => forms.open(form, who));
      },
    };
  };
  let formsToOpen: (() => void)[] = [];
  const handleThenOpenForms = async (event: Parameters<EventHandler>[0]) => {
    try {
      await handle?.(event);
    } finally {
      const opening = formsToOpen;
      formsToOpen = [];
      for (const open of opening) open();
    }
  };

  const forms = createFormSession({
    write,
    submit: async (form: Form, who: Actor, values) =>
      handle?.({
        kind: 'form',
        id: randomUUID(),
        actor: who,
        channelId: CHANNEL,
        formId: form.id,
        state: form.state,
        values,
        reply: base().reply,
      }),
  });

  async function onLine(raw: string): Promise<'quit' | undefined> {
    turn++;
    const line = raw.trim();
    if (!handle) return;
    // In a form an empty line is an answer too: it leaves an optional question empty.
    if (forms.isOpen()) return forms.answer(line === '' ? '/skip' : line);
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
            ? `There is nothing to click: ${choicesSinceStart ? 'the last message has no choices' : 'no choices have been shown since copro started, and those from before are gone'}. To carry on your welcome, type /copro join; to see the open polls with their buttons, type /copro polls.`
            : `There is no choice ${click[1]}: the last choices shown were numbered 1 to ${lastChoices.length}.`,
        ]);
      }
      const ev = base();
      await handleThenOpenForms({
        ...ev,
        kind: 'action',
        actionId: choice.actionId,
        value: choice.value,
        ...(choice.on ? { message: choice.on, channelId: choice.on.channelId } : {}),
        updateMessage: async (message) => show('copro (message updated):', message, choice.on, true),
      });
      return;
    }
    const command = /^\/copro(?:\s+(.*))?$/is.exec(line);
    if (command) {
      usedSinceStart = true;
      await handleThenOpenForms({
        ...base(),
        kind: 'command',
        input: { kind: 'text', text: command[1] ?? '' },
      });
      return;
    }
    write([
      strayAnswer(line),
      // Before any command, stray text is most likely an answer to a form open when copro stopped
      // (forms live only in memory); after one, saying so would only worry people.
      ...(usedSinceStart || /^\/(click|as)\b/i.test(line)
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
      show(`copro (message ${ref.messageId} in #${ref.channelId} updated):`, message, ref, false, true);
    },
    // Everyone typing here is in the terminal's one channel; a name only mentioned is not.
    isChannelMember: async (_workspaceId, _channelId, userId) => spoken.has(userId),
  };
}

/**
 * What to say to a line that is not a command: the terminal's own words (/click, /as, /skip,
 * /cancel) typed without what they need, or out of place, are answered for what they are.
 */
function strayAnswer(line: string): string {
  const [word = ''] = line.toLowerCase().split(/\s/, 1);
  switch (word) {
    case '/click':
      return 'To press a button, type /click and its number, for example /click 1.';
    case '/as':
      return 'To speak as someone else, type /as and their name, for example /as Sam.';
    case '/skip':
    case '/cancel':
      return `No form is open, so there is nothing to ${word.slice(1)}.`;
    default:
      return 'copro only understands commands here. Type /copro help to see them.';
  }
}
