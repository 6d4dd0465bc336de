import type { Actor, CommandEvent, Message, PlatformKind } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import type { CommandId, catalogue } from './catalogue.js';

type Catalogued = (typeof catalogue)[number];

/** Who may run a command. Checked on the server, whatever the platform shows. */
export type Access = 'anyone' | 'member' | 'coordinator';

export type OptionType =
  | 'string' // one word or a "quoted phrase"
  | 'text' // the rest of the line, or a quoted phrase
  | 'user' // a mention: <@U123>, <@U123|name>, <@123> or @name
  | 'integer'
  | 'duration' // 3d, 2w, 4h, 30m, 1.5h
  | 'role' // a role key such as researcher or "expert by experience"
  | 'flag'; // --anonymous: present or not

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly description: string;
  readonly required?: boolean;
  /** Given as --name value (or --name for flags) rather than by position. */
  readonly named?: boolean;
  /** Collects all remaining positional values (poll options), each called `item` in messages. */
  readonly variadic?: { readonly min: number; readonly max: number; readonly item: string };
  /** How the value looks in usage lines, e.g. '"Question?"' or '3d'. Default: the name in capitals. */
  readonly placeholder?: string;
  /** Allowed values, when fixed. */
  readonly choices?: readonly string[];
  /** Longest value accepted, in characters (each item, for a variadic option). Default by type. */
  readonly maxLength?: number;
}

export interface CommandSpec {
  /** Stable id, e.g. "role.add"; adapters map it to their own command shapes. */
  readonly id: string;
  /** Words typed after /copro, e.g. ["role", "add"]. */
  readonly path: readonly string[];
  readonly access: Access;
  /** Whether the command needs a group (run in its home channel, or by a member of exactly one). */
  readonly needsGroup: boolean;
  readonly summary: string;
  /** Who may use it, in words, when the handler narrows `access` (help says this instead). */
  readonly who?: string;
  /** The same, where a platform narrows it further (only its admins may start a group, say). */
  readonly whoOn?: Partial<Record<PlatformKind, string>>;
  readonly example: string;
  readonly options: readonly OptionSpec[];
  /**
   * It only reads: run by someone copro holds nothing about, it records nothing (no member record,
   * no group membership), so that, for one, /copro my-data just after forget-me finds nothing.
   */
  readonly readOnly?: boolean;
}

/** Parsed, typed argument values by option name. Durations are in minutes, users are mentions. */
export type ArgValue = string | number | boolean | Mention | readonly string[];
export type Args = Readonly<Record<string, ArgValue | undefined>>;

export interface Mention {
  readonly kind: 'mention';
  readonly userId: string;
  /** The name the platform gave with the mention, when it did. */
  readonly displayName?: string;
  /**
   * Typed as "@name", not made by the platform: the terminal's way to name someone. In Slack or
   * Discord it is only text (a name the platform could not match), so it names nobody.
   */
  readonly typed?: true;
}

export interface Reply {
  readonly message: Message;
  /** Shown to the whole channel. Default: only the person who ran the command. */
  readonly public?: boolean;
}

/** The catalogue entry behind a command id, with its literal option types. */
type SpecOf<Id extends CommandId> = Extract<Catalogued, { readonly id: Id }>;
type OptionOf<Id extends CommandId> = SpecOf<Id>['options'][number];

/** What the parser hands over for one option (durations in minutes, users as mentions). */
type ValueOf<O> = O extends { readonly type: 'flag' }
  ? boolean
  : O extends { readonly variadic: object }
    ? readonly string[]
    : O extends { readonly type: 'integer' | 'duration' }
      ? number
      : O extends { readonly type: 'user' }
        ? Mention
        : O extends { readonly choices: readonly (infer C)[] }
          ? C
          : string;

/** A command's arguments, typed from its catalogue entry: required options are always there. */
export type ArgsOf<Id extends CommandId> = {
  readonly [O in OptionOf<Id> as O['name']]: O extends { readonly required: true }
    ? ValueOf<O>
    : ValueOf<O> | undefined;
};

/** The router resolves a group for every command whose entry says it needs one. */
type GroupOf<Id extends CommandId> = SpecOf<Id>['needsGroup'] extends true ? GroupRow : GroupRow | undefined;

export interface CommandContext<A = Args, G extends GroupRow | undefined = GroupRow | undefined> {
  readonly deps: FeatureDeps;
  readonly event: CommandEvent;
  readonly actor: Actor;
  readonly spec: CommandSpec;
  readonly args: A;
  /** The group the command applies to; always there when the catalogue entry needs one. */
  readonly group: G;
  /**
   * The person who ran it, as a member record (created on first contact). For a `readOnly`
   * command run by someone copro holds nothing about, it is not stored: see `unrecorded`.
   */
  readonly member: MemberRow;
  /** True when copro holds no record of the person: `member` is not stored, and its id is 0. */
  readonly unrecorded?: boolean;
  readonly isCoordinator: boolean;
}

/** What a handler for one catalogue command receives. */
export type ContextOf<Id extends CommandId> = CommandContext<ArgsOf<Id>, GroupOf<Id>>;

/**
 * The handler of one catalogue command. Written as a method so that a map of handlers for
 * different commands can be run through one router, which hands each the arguments its parser
 * produced from that same entry.
 */
export type CommandHandler<Id extends CommandId> = {
  handle(ctx: ContextOf<Id>): Promise<Reply>;
}['handle'];

/** Any command's handler, as the router runs it. */
export type RunCommand = { handle(ctx: CommandContext): Promise<Reply> }['handle'];
