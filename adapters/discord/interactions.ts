import {
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  type REST,
} from 'discord.js';
import {
  type Actor,
  type EventOutcome,
  type Form,
  type InboundEvent,
  type Message,
  textMessage,
} from '../../src/chat/index.js';
import { errorRef, unexpectedErrorText } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CommandRoute } from './commands.js';
import { decodeCustomId } from './custom-id.js';
import {
  answers,
  FORM_PAGE,
  type FormSession,
  FormSessions,
  modalFor,
  OPEN_PAGE,
  pageOf,
  pageRef,
  parsePageRef,
  readPage,
} from './forms.js';
import { actorOf, channelNameOf, commandInput } from './inbound.js';
import { answerable, checkInteraction } from './payloads.js';
import { Responder } from './responder.js';
import type { SeenMembers } from './seen-members.js';

export interface InteractionDeps {
  readonly rest: REST;
  readonly applicationId: string;
  readonly routes: ReadonlyMap<string, CommandRoute>;
  readonly logger: Logger;
  readonly handle: (event: InboundEvent) => Promise<EventOutcome | undefined>;
  readonly deferAfterMs: number;
  /** Work the core leaves running after a click: stop() waits for it (ActionEvent.leaveRunning). */
  readonly track: (work: Promise<unknown>) => void;
  /** Told who each live interaction shows to be in its server (seen-members.ts). */
  readonly seen?: SeenMembers;
}

const OUTSIDE_SERVER = "Please use /copro in your group's Discord server.";
const STALE_COMMAND =
  'That command has just changed. Please wait a minute and try again (Discord is updating its list).';
const FORM_EXPIRED = 'This form was open for a long time and has closed. Please start again.';
const UNREADABLE = 'Sorry, copro could not read that. Please try again, or type /copro help.';

/** Turns each interaction into a copro event, runs it, and answers Discord in time. */
export function createInteractions(deps: InteractionDeps) {
  const { logger } = deps;
  const forms = new FormSessions();

  /** Runs the core on an event, deferring if it has not answered in time. */
  async function run(responder: Responder, event: InboundEvent): Promise<EventOutcome | undefined> {
    const timer = setTimeout(() => {
      responder.defer().catch((err: unknown) => logger.warn({ err, eventId: event.id }, 'could not defer'));
    }, deps.deferAfterMs);
    try {
      return await deps.handle(event);
    } catch (err) {
      const ref = errorRef();
      logger.error({ err, ref, kind: event.kind }, 'unexpected failure while handling an interaction');
      await responder.reply(textMessage(unexpectedErrorText(ref))).catch(() => undefined);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async function openForm(responder: Responder, actor: Actor, form: Form, scope?: string): Promise<void> {
    const session = forms.open(form, actor.userId, scope);
    if (!(await responder.openModal(modalFor(session, 0)))) {
      // Too late for a modal (the answer was deferred): a button opens it instead.
      await responder.reply(pageButton(session, 0, `${form.title}: your form is ready.`, 'Open the form'));
    }
  }

  function base(interaction: APIInteraction, actor: Actor, responder: Responder) {
    return {
      id: interaction.id,
      actor,
      channelId: interaction.channel_id,
      channelName: channelNameOf(interaction),
      reply: (message: Message, options?: { private?: boolean }) =>
        responder.reply(message, options?.private !== false),
    };
  }

  /** The server a direct message's interaction belongs to: from the control, or the form's session. */
  function dmScope(interaction: APIInteraction): string | undefined {
    if (interaction.guild_id) return undefined;
    if (interaction.type === InteractionType.MessageComponent)
      return decodeCustomId(interaction.data.custom_id).scope;
    if (interaction.type === InteractionType.ModalSubmit && interaction.user) {
      const { key } = parsePageRef(decodeCustomId(interaction.data.custom_id).value);
      return forms.get(key, interaction.user.id)?.scope;
    }
    return undefined;
  }

  async function component(
    interaction: APIMessageComponentInteraction,
    actor: Actor,
    responder: Responder,
    scope: string | undefined,
  ) {
    const { actionId, value } = decodeCustomId(interaction.data.custom_id);
    if (actionId === OPEN_PAGE) {
      const { key, page } = parsePageRef(value);
      const session = forms.get(key, actor.userId);
      if (!session) await responder.reply(textMessage(FORM_EXPIRED));
      else await responder.openModal(modalFor(session, page));
      return;
    }
    const chosen =
      interaction.data.component_type === ComponentType.StringSelect ? interaction.data.values[0] : undefined;
    const source = interaction.message;
    await run(responder, {
      ...base(interaction, actor, responder),
      kind: 'action',
      actionId,
      value: chosen ?? value,
      message: { platform: 'discord', channelId: source.channel_id, messageId: source.id },
      updateMessage: (message) => responder.updateMessage(message),
      openForm: (form) => openForm(responder, actor, form, scope),
      leaveRunning: deps.track,
    });
  }

  async function modalSubmit(interaction: APIModalSubmitInteraction, actor: Actor, responder: Responder) {
    const { actionId, value } = decodeCustomId(interaction.data.custom_id);
    const { key, page } = parsePageRef(value);
    const session = actionId === FORM_PAGE ? forms.get(key, actor.userId) : undefined;
    if (!session) {
      await responder.reply(textMessage(FORM_EXPIRED));
      return;
    }
    readPage(session, page, interaction.data.components);
    if (page + 1 < session.pages.length) {
      const text = `Part ${page + 1} of ${session.pages.length} is saved. Press Continue for the next questions.`;
      await responder.reply(pageButton(session, page + 1, text, 'Continue'));
      return;
    }
    const outcome = await run(responder, {
      ...base(interaction, actor, responder),
      kind: 'form',
      formId: session.form.id,
      values: answers(session),
      state: session.form.state,
    });
    const problems = outcome?.formErrors;
    if (problems && Object.keys(problems).length > 0) {
      await responder.reply(problemsMessage(session, problems, pageOf(session, Object.keys(problems))));
    } else {
      forms.close(session.key);
    }
  }

  /** Answers an interaction plainly without running it, if it has what an answer needs. */
  async function tell(data: unknown, text: string): Promise<void> {
    const ids = answerable(data);
    if (!ids) return;
    const responder = new Responder(deps.rest, deps.applicationId, ids as APIInteraction);
    await responder
      .reply(textMessage(text))
      .catch((err: unknown) => logger.warn({ err }, 'could not answer an interaction copro did not run'));
  }

  async function receive(data: unknown, recovered = false): Promise<void> {
    // Autocomplete is never asked for, and pings only come over HTTP.
    const check = checkInteraction(data, logger);
    if (check === 'ignored') return;
    if (check === 'unusable') return recovered ? undefined : tell(data, UNREADABLE);
    const interaction = data as APIInteraction;
    const scope = dmScope(interaction);
    const responder = new Responder(
      deps.rest,
      deps.applicationId,
      interaction,
      fromPrompt(interaction),
      scope,
      recovered,
    );
    try {
      const actor = actorOf(interaction, scope);
      if (!actor) {
        await responder.reply(textMessage(OUTSIDE_SERVER));
        return;
      }
      // A replayed one may be from someone who has left since.
      const member = interaction.member?.user;
      if (!recovered && interaction.guild_id && member) deps.seen?.saw(interaction.guild_id, member.id);
      if (interaction.type === InteractionType.ApplicationCommand) {
        // Only /copro is registered: a context-menu command can only be a leftover.
        if (interaction.data.type !== ApplicationCommandType.ChatInput) return;
        const input = commandInput(interaction.data, deps.routes);
        if (!input) {
          await responder.reply(textMessage(STALE_COMMAND));
          return;
        }
        await run(responder, {
          ...base(interaction, actor, responder),
          kind: 'command',
          input,
          openForm: (form) => openForm(responder, actor, form),
        });
      } else if (interaction.type === InteractionType.MessageComponent) {
        await component(interaction, actor, responder, scope);
      } else if (interaction.type === InteractionType.ModalSubmit) {
        await modalSubmit(interaction, actor, responder);
      }
      await responder.finish();
    } catch (err) {
      logger.error(
        { err, interactionId: interaction.id, type: interaction.type },
        'could not answer an interaction',
      );
    }
  }

  return { receive, tell };
}

/** Whether the interaction came from the adapter's own form prompt (its button opens a form page). */
function fromPrompt(interaction: APIInteraction): boolean {
  const rows = (interaction.message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.some((row) =>
    (row.components ?? []).some((c) => c.custom_id && decodeCustomId(c.custom_id).actionId === OPEN_PAGE),
  );
}

function pageButton(session: FormSession, page: number, text: string, label: string): Message {
  return {
    text,
    blocks: [
      { type: 'text', text },
      {
        type: 'buttons',
        buttons: [{ actionId: OPEN_PAGE, label, value: pageRef(session, page), style: 'primary' }],
      },
    ],
  };
}

function problemsMessage(
  session: FormSession,
  problems: Readonly<Record<string, string>>,
  page: number,
): Message {
  const labels = new Map(session.form.fields.map((f) => [f.id, f.label]));
  const lines = Object.entries(problems).map(([id, problem]) => `- ${labels.get(id) ?? id}: ${problem}`);
  const text = `Some answers need another look. Nothing is saved yet.\n${lines.join('\n')}`;
  return {
    text,
    blocks: [
      { type: 'text', text },
      {
        type: 'buttons',
        buttons: [
          {
            actionId: OPEN_PAGE,
            label: 'Change my answers',
            value: pageRef(session, page),
            style: 'primary',
          },
        ],
      },
    ],
  };
}
