/**
 * What a feature is: one folder under src/ that exports one `defineFeature({...})`, listed once
 * in src/app.ts. Everything the feature brings is declared here, beside each other, so that
 * adding a feature never means editing the core:
 *
 * - commands:  handlers keyed by catalogue id. A key that is not in the catalogue is a type error,
 *              and each handler's `ctx.args` is typed from its catalogue entry.
 * - actions, forms: button/select and form handlers, keyed by the ids the feature's messages use.
 * - jobs:      background work, one entry per job kind: its catch-up policy, its handler, and
 *              (through `JobPayloads` in src/jobs/jobs.ts) its payload type.
 * - sweeps:    work before each scheduler tick (making sure recurring jobs are scheduled).
 * - onMemberJoined / onMemberLeft: someone joined or left a group's home channel.
 * - homeSection: the feature's part of the bot's home view.
 * - digestSections: the feature's parts of the weekly digest, in the order given.
 * - personalData: what its tables hold about a person, how to export it and how to erase it
 *              (src/privacy/declaration.ts); /copro my-data and forget-me compose them.
 *
 * createApp refuses to start if two features claim the same command, action, form or job id.
 */

import type { Db } from '../db/client.js';
import type {
  ActionEvent,
  Actor,
  FormEvent,
  MemberJoinedEvent,
  MemberLeftEvent,
  Message,
  PlatformKind,
} from './chat/index.js';
import type { CommandId } from './commands/catalogue.js';
import type { CommandHandler } from './commands/types.js';
import type { FeatureDeps } from './deps.js';
import type { DigestSectionBuilder } from './digest/sections.js';
import type { GroupRow, MemberRow } from './groups/types.js';
import type { CatchUpPolicy, JobBatchContext, JobContext, JobRow } from './jobs/index.js';
import type { JobKind, JobPayloads } from './jobs/jobs.js';
import type { PersonalData } from './privacy/declaration.js';

export interface ActionContext {
  readonly deps: FeatureDeps;
  readonly event: ActionEvent;
  readonly actor: Actor;
  /** The person who clicked, as a member record (created on first contact). */
  readonly member: MemberRow;
}

export interface FormContext {
  readonly deps: FeatureDeps;
  readonly event: FormEvent;
  readonly actor: Actor;
  readonly member: MemberRow;
}

/** A form handler returns field errors (the form stays open) or nothing (it closes). */
export type FormHandler = (ctx: FormContext) => Promise<Readonly<Record<string, string>> | undefined>;
export type ActionHandler = (ctx: ActionContext) => Promise<void>;

/**
 * Clicks on one button that can be handled several at once, in one transaction with a few
 * statements for all of them: a poll's buttons when many people vote together. The button keeps
 * its ActionHandler, which handles alone any click this leaves.
 */
export interface ActionBatch {
  /** Clicks with the same key may go together (the same poll, say); undefined: this one goes alone. */
  key(event: ActionEvent): string | undefined;
  /**
   * Handle the clicks, each as the button's handler would, in the transaction that `deps.db` is.
   * Returns the clicks it did not handle (refused, or unusual), which are then handled alone; it
   * must not have said anything to those, nor done for them what handling them alone would not.
   */
  runMany(deps: FeatureDeps, clicks: readonly ActionContext[]): Promise<readonly ActionContext[]>;
}

/** Work before each scheduler tick, given the deps (the secret behind keyed hashes, for one). */
export type FeatureSweep = (db: Db, now: Date, deps: FeatureDeps) => Promise<void>;

export interface FeatureJobContext<K extends JobKind> extends JobContext {
  readonly deps: FeatureDeps;
  /** The payload it was scheduled with, typed by `JobPayloads`. */
  readonly payload: JobPayloads[K];
}

export interface FeatureJobBatchContext<K extends JobKind> extends JobBatchContext {
  readonly deps: FeatureDeps;
  /** Each job's payload, in the order of `jobs`. */
  readonly payloads: readonly JobPayloads[K][];
}

/** One kind of background work: what to do, and what to do if it was missed. */
export interface FeatureJob<K extends JobKind> {
  /** After downtime: run-once, collapse (one run for a missed series) or drop-if-past. */
  readonly policy: CatchUpPolicy;
  run(ctx: FeatureJobContext<K>): Promise<void>;
  /** Does what `run` does for several due jobs at once, in fewer queries (JobDefinition.runMany). */
  runMany?(ctx: FeatureJobBatchContext<K>): Promise<void>;
  /** What the job does, in plain words, for coordinators if it keeps failing: "close a poll". */
  describe?(job: JobRow): string;
  /** Overrides the default attempt limit for this kind. */
  readonly maxAttempts?: number;
}

export type MemberHook<E> = (
  deps: FeatureDeps,
  group: GroupRow,
  member: MemberRow,
  event: E,
) => Promise<void>;

interface FeatureParts {
  /** Used in start-up errors: "the polls and meetings features both handle ...". */
  readonly name: string;
  /** Button and select handlers by action id (e.g. "poll.vote"; the value says which poll). */
  readonly actions?: Readonly<Record<string, ActionHandler>>;
  /** Buttons among `actions` whose clicks may also be handled several at once, by action id. */
  readonly actionBatches?: Readonly<Record<string, ActionBatch>>;
  /** Form handlers by form id. */
  readonly forms?: Readonly<Record<string, FormHandler>>;
  readonly sweeps?: readonly FeatureSweep[];
  /** Someone joined a group's home channel (or server); retried deliveries never reach here. */
  readonly onMemberJoined?: MemberHook<MemberJoinedEvent>;
  /** Someone left a group's home channel; their membership has already been ended. */
  readonly onMemberLeft?: MemberHook<MemberLeftEvent>;
  /** A workspace (Slack) or server (Discord) removed copro: stop its work. */
  readonly onWorkspaceRemoved?: (
    deps: FeatureDeps,
    space: { readonly platform: PlatformKind; readonly workspaceId: string },
  ) => Promise<void>;
  /** The feature's part of the bot's home view (Slack App Home), or nothing to show. */
  readonly homeSection?: (
    deps: FeatureDeps,
    group: GroupRow,
    member: MemberRow,
  ) => Promise<Message | undefined>;
  /** The feature's sections of the weekly digest. */
  readonly digestSections?: readonly DigestSectionBuilder[];
  /** What the feature's tables hold about a person: for my-data, forget-me and retention. */
  readonly personalData?: PersonalData;
}

/** A feature as defineFeature checks it: every key names a real command or job kind. */
export interface FeatureSpec<C extends CommandId, J extends JobKind> extends FeatureParts {
  readonly commands?: { readonly [Id in C]: CommandHandler<Id> };
  readonly jobs?: { readonly [K in J]: FeatureJob<K> };
}

/** Any feature, as createApp takes them. */
export interface Feature extends FeatureParts {
  readonly commands?: { readonly [Id in CommandId]?: CommandHandler<Id> };
  readonly jobs?: { readonly [K in JobKind]?: FeatureJob<K> };
}

/** Declare a feature. The commands it implements are the keys of `commands`. */
export function defineFeature<C extends CommandId = never, J extends JobKind = never>(
  spec: FeatureSpec<C, J>,
): FeatureSpec<C, J> {
  return spec;
}

/** The catalogue ids a feature implements, at the type level (see the check in src/app.ts). */
export type CommandsOf<F> = F extends { readonly commands?: infer M } ? keyof NonNullable<M> : never;
