import type { Form, FormValues } from './form.js';
import type { Message, MessageRef, PlatformKind } from './message.js';

export interface Actor {
  readonly platform: PlatformKind;
  /** Slack team id, Discord guild id, "local" for the console. */
  readonly workspaceId: string;
  readonly userId: string;
  readonly displayName: string;
  /**
   * The name may not be the one the person goes by in the group: a Discord direct message gives
   * their global name, not their server nickname. It names someone copro has not met, and never
   * replaces a name copro already has.
   */
  readonly displayNameOutsideGroup?: boolean;
  /**
   * Whether the platform lets this person set copro up where they are: a Slack workspace admin or
   * owner, or the person who created the Slack channel; Discord "Manage Server". Undefined where
   * the platform has no such idea (console). It only matters for setting up a new group; the
   * role registry decides everything else.
   */
  readonly isPlatformAdmin?: boolean;
  /**
   * The platform could not say just now who this is (its look-up failed or was rate-limited), so
   * isPlatformAdmin is a cautious guess: false.
   */
  readonly profileUnknown?: boolean;
  /** IANA timezone when the platform knows it (Slack does). */
  readonly timezone?: string;
}

export interface ReplyOptions {
  /** Only the actor sees it (Slack ephemeral, Discord ephemeral flag). Default true. */
  readonly private?: boolean;
}

/** Every inbound event may carry where the adapter kept it. */
interface Kept {
  /**
   * The inbox row the adapter kept this delivery in, if it kept one. It is let go in the same
   * transaction as the event's effects, so a burst of clicks costs one commit each, not two.
   */
  readonly keptAs?: string;
  /**
   * Told once that row has been let go with the event's effects (committed), so the adapter need
   * not let it go again: under a burst that was a DELETE of rows already gone, a statement a batch.
   */
  readonly keptReleased?: () => void;
}

interface EventBase extends Kept {
  /** Platform event id, used to ignore retries and double clicks. */
  readonly id: string;
  readonly actor: Actor;
  /** Channel the event happened in; undefined for direct events without a channel. */
  readonly channelId?: string;
  /** The channel's name without "#", when the platform gives it (used to name a new group). */
  readonly channelName?: string;
  reply(message: Message, options?: ReplyOptions): Promise<void>;
}

/** A command as typed (Slack, console) or as structured options (Discord). */
export type CommandInput =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'structured';
      /** Catalogue entry id, e.g. "role.add". */
      readonly commandId: string;
      readonly options: Readonly<Record<string, string | number | boolean | undefined>>;
    };

export interface CommandEvent extends EventBase {
  readonly kind: 'command';
  readonly input: CommandInput;
  openForm(form: Form): Promise<void>;
}

export interface ActionEvent extends EventBase {
  readonly kind: 'action';
  readonly actionId: string;
  readonly value: string;
  /** The message the button or select sits on. */
  readonly message?: MessageRef;
  /** Replace the message the button sits on. */
  updateMessage(message: Message): Promise<void>;
  /**
   * Hands the adapter work that goes on after the click is handled (the poll's message drawn
   * again with this click counted), to wait for before it stops. Without it, the click is
   * handled once that work is done too.
   */
  readonly leaveRunning?: (work: Promise<unknown>) => void;
  openForm(form: Form): Promise<void>;
}

export interface FormEvent extends EventBase {
  readonly kind: 'form';
  readonly formId: string;
  readonly values: FormValues;
  readonly state?: string;
}

export interface MemberJoinedEvent extends Kept {
  readonly kind: 'memberJoined';
  readonly id: string;
  readonly actor: Actor;
  readonly channelId?: string;
}

export interface MemberLeftEvent extends Kept {
  readonly kind: 'memberLeft';
  readonly id: string;
  readonly actor: Actor;
  readonly channelId?: string;
}

/** A person opened the bot's home (Slack App Home). The adapter shows what `show` receives. */
export interface HomeOpenedEvent extends Kept {
  readonly kind: 'homeOpened';
  readonly id: string;
  readonly actor: Actor;
  show(message: Message): Promise<void>;
}

/**
 * A Slack workspace uninstalled copro or revoked its tokens, or a Discord server removed it. The
 * actor stands for the workspace itself (no person): its userId is empty.
 */
export interface WorkspaceRemovedEvent extends Kept {
  readonly kind: 'workspaceRemoved';
  readonly id: string;
  readonly actor: Actor;
}

/**
 * The platform has said who someone is, after copro handled what they did under the name their
 * click carried (a busy moment, when it did not stop to ask). Only what copro already holds of
 * them is brought up to date: nobody is recorded for it.
 */
export interface ProfileLearnedEvent extends Kept {
  readonly kind: 'profileLearned';
  readonly id: string;
  readonly actor: Actor;
}

export type InboundEvent =
  | CommandEvent
  | ActionEvent
  | FormEvent
  | MemberJoinedEvent
  | MemberLeftEvent
  | HomeOpenedEvent
  | WorkspaceRemovedEvent
  | ProfileLearnedEvent;

/**
 * What the core tells the adapter once an event is handled. Only forms use it today: field
 * errors go back to the platform (Slack's `response_action: 'errors'`) and the form stays open.
 */
export interface EventOutcome {
  readonly formErrors?: Readonly<Record<string, string>>;
}

export type EventHandler = (event: InboundEvent) => Promise<EventOutcome | undefined>;
