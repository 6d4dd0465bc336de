import type { ActionEvent, Actor, FormEvent, MemberJoinedEvent, Message } from './chat/index.js';
import type { CommandHandler } from './commands/types.js';
import type { AppDeps } from './deps.js';
import type { GroupRow, MemberRow } from './groups/types.js';
import type { JobHandlers, Sweep } from './jobs/index.js';

export interface ActionContext {
  readonly deps: AppDeps;
  readonly event: ActionEvent;
  readonly actor: Actor;
  /** The person who clicked, as a member record (created on first contact). */
  readonly member: MemberRow;
}

export interface FormContext {
  readonly deps: AppDeps;
  readonly event: FormEvent;
  readonly actor: Actor;
  readonly member: MemberRow;
}

/** A form handler returns field errors (the form stays open) or nothing (it closes). */
export type FormHandler = (ctx: FormContext) => Promise<Readonly<Record<string, string>> | undefined>;
export type ActionHandler = (ctx: ActionContext) => Promise<void>;

/**
 * One feature's contribution, keyed by catalogue id (commands), button or select action id
 * (actions, e.g. "poll.vote"; the value says which poll and option) and form id (forms).
 */
export interface Feature {
  readonly commands?: Readonly<Record<string, CommandHandler>>;
  readonly actions?: Readonly<Record<string, ActionHandler>>;
  readonly forms?: Readonly<Record<string, FormHandler>>;
  /** Called when someone joins a group's home channel (or server). */
  readonly onMemberJoined?: (
    deps: AppDeps,
    group: GroupRow,
    member: MemberRow,
    event: MemberJoinedEvent,
  ) => Promise<void>;
  /** Background work this feature schedules, by job kind (run by the durable scheduler). */
  readonly jobs?: JobHandlers;
  /** Work done before each scheduler tick (e.g. making sure the next digest is scheduled). */
  readonly sweeps?: readonly Sweep[];
  /** Adds a section to the bot's home view (Slack App Home). */
  readonly homeSection?: (deps: AppDeps, group: GroupRow, member: MemberRow) => Promise<Message | undefined>;
}
