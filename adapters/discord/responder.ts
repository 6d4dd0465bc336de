import {
  type APIInteraction,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import { type Message, textMessage } from '../../src/chat/index.js';
import { delivering } from './errors.js';
import { filePosts } from './files.js';
import { type DiscordMessage, renderMessage } from './render.js';

const DONE = 'Done.';
const POSTED_PUBLICLY = 'Done. The answer is in the channel, for everyone to see.';

/**
 * Answers one interaction, whatever order the core's replies come in and whether or not it was
 * deferred first. Discord allows one initial response (within 3 s); after it, replies become
 * edits of the original or follow-ups. Calls are queued so a deferral racing a reply cannot
 * answer twice.
 */
export class Responder {
  private acknowledged = false;
  /** A deferred "thinking…" reply waiting to be filled in, and whether only the actor sees it. */
  private placeholder: { private: boolean } | undefined;
  /** What @original means once acknowledged: our own reply, or the message a control sits on. */
  private original: 'reply' | 'controlMessage' | undefined;
  /** A modal was the answer: Discord allows nothing more on this interaction. */
  private modalShown = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
    private readonly interaction: APIInteraction,
    /**
     * The interaction came from one of the adapter's own private prompts ("Continue", "Change my
     * answers"): a private answer replaces the prompt, so no stale button is left behind.
     */
    private readonly replacesPrompt = false,
    /** In a direct message: the server its controls belong to (see custom-id.ts). */
    private readonly scope?: string,
    /**
     * Handled again after a restart (see intake.ts): its first answer went before the process
     * stopped, so every answer now is a follow-up or an edit through the interaction's webhook.
     */
    recovered = false,
  ) {
    if (recovered) {
      this.acknowledged = true;
      this.original = interaction.type === InteractionType.MessageComponent ? 'controlMessage' : 'reply';
    }
  }

  /** Whether the interaction came from a control on a message (a button, a select, or a form opened by one). */
  private get onMessage(): boolean {
    return this.interaction.message !== undefined;
  }

  reply(message: Message, isPrivate = true): Promise<void> {
    return this.serial(async () => {
      // The person is looking at the form; its submission gets its own answer.
      if (this.modalShown) return;
      const pages = renderMessage(message, this.scope);
      const flags = isPrivate ? MessageFlags.Ephemeral : 0;
      let rest = pages;
      if (!this.acknowledged && this.replacesPrompt && isPrivate) {
        await this.callback(InteractionResponseType.UpdateMessage, pages[0]);
        this.original = 'controlMessage';
        rest = pages.slice(1);
      } else if (!this.acknowledged) {
        await this.callback(InteractionResponseType.ChannelMessageWithSource, { ...pages[0], flags });
        this.original = 'reply';
        rest = pages.slice(1);
      } else if (this.placeholder) {
        if (this.placeholder.private === isPrivate) {
          await this.editOriginal(pages[0]!);
          rest = pages.slice(1);
        } else {
          // Ephemerality is fixed when deferring: say where the answer went, then post it.
          await this.editOriginal(renderMessage(textMessage(POSTED_PUBLICLY))[0]!);
        }
        this.placeholder = undefined;
      }
      for (const page of rest) await this.followUp(page, flags);
      await this.followUpFiles(message, flags);
    });
  }

  /** Replaces the message the clicked control sits on. */
  updateMessage(message: Message): Promise<void> {
    return this.serial(async () => {
      const [first, ...more] = renderMessage(message, this.scope);
      const source = this.interaction.message;
      if (!source) {
        throw new Error('updateMessage needs an interaction that came from a message');
      }
      if (!this.acknowledged) {
        await this.callback(InteractionResponseType.UpdateMessage, first);
        this.original = 'controlMessage';
      } else if (this.original === 'controlMessage') {
        await this.editOriginal(first!);
      } else {
        await delivering(() =>
          this.rest.patch(Routes.channelMessage(source.channel_id, source.id), { body: first }),
        );
      }
      const flags = (source.flags ?? 0) & MessageFlags.Ephemeral;
      for (const page of more) await this.followUp(page, flags);
      await this.followUpFiles(message, flags);
    });
  }

  /** Opens a modal. False when it is too late (a modal must be the first response). */
  openModal(modal: APIModalInteractionResponseCallbackData): Promise<boolean> {
    return this.serial(async () => {
      if (this.acknowledged || this.interaction.type === InteractionType.ModalSubmit) return false;
      await this.callback(InteractionResponseType.Modal, modal);
      this.modalShown = true;
      return true;
    });
  }

  /** Acknowledges now, so Discord does not fail the interaction while the core is still working. */
  defer(): Promise<void> {
    return this.serial(async () => {
      if (this.acknowledged) return;
      if (this.interaction.type === InteractionType.MessageComponent) {
        // Nothing visible yet: the core will update the message or reply.
        await this.callback(InteractionResponseType.DeferredMessageUpdate);
        this.original = 'controlMessage';
      } else {
        // Answers are private by default; a public one is posted as a follow-up.
        await this.callback(InteractionResponseType.DeferredChannelMessageWithSource, {
          flags: MessageFlags.Ephemeral,
        });
        this.placeholder = { private: true };
        this.original = 'reply';
      }
    });
  }

  /** After the core is done: make sure Discord got some answer, and no "thinking…" is left. */
  finish(): Promise<void> {
    return this.serial(async () => {
      if (!this.acknowledged) {
        if (this.onMessage) await this.callback(InteractionResponseType.DeferredMessageUpdate);
        else {
          await this.callback(InteractionResponseType.ChannelMessageWithSource, {
            ...renderMessage(textMessage(DONE))[0],
            flags: MessageFlags.Ephemeral,
          });
        }
      } else if (this.placeholder) {
        await this.editOriginal(renderMessage(textMessage(DONE))[0]!);
        this.placeholder = undefined;
      }
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async callback(type: InteractionResponseType, data?: unknown): Promise<void> {
    const { id, token } = this.interaction;
    await delivering(() =>
      this.rest.post(Routes.interactionCallback(id, token), { body: { type, data }, auth: false }),
    );
    this.acknowledged = true;
  }

  private editOriginal(page: DiscordMessage): Promise<unknown> {
    return delivering(() =>
      this.rest.patch(Routes.webhookMessage(this.applicationId, this.interaction.token, '@original'), {
        body: page,
        auth: false,
      }),
    );
  }

  /** Files go in follow-ups of their own, private when the answer is. */
  private async followUpFiles(message: Message, flags: number): Promise<void> {
    for (const post of filePosts(message.files)) {
      await delivering(() =>
        this.rest.post(Routes.webhook(this.applicationId, this.interaction.token), {
          body: { ...post.body, flags },
          files: post.files,
          auth: false,
        }),
      );
    }
  }

  private followUp(page: DiscordMessage, flags: number): Promise<unknown> {
    return delivering(() =>
      this.rest.post(Routes.webhook(this.applicationId, this.interaction.token), {
        body: { ...page, flags },
        auth: false,
      }),
    );
  }
}
