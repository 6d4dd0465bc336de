import type { Actor, CommandEvent, Message } from '../chat/index.js';
import type { AppDeps } from '../deps.js';
import type { GroupRow, MemberRow } from '../groups/types.js';

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
  /** Collects all remaining positional values (poll options). */
  readonly variadic?: { readonly min: number; readonly max: number };
  /** How the value looks in usage lines, e.g. '"Question?"' or '3d'. Default: the name in capitals. */
  readonly placeholder?: string;
  /** Allowed values, when fixed. */
  readonly choices?: readonly string[];
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
  readonly example: string;
  readonly options: readonly OptionSpec[];
}

/** Parsed, typed argument values by option name. Durations are in minutes, users are mentions. */
export type ArgValue = string | number | boolean | Mention | readonly string[];
export type Args = Readonly<Record<string, ArgValue | undefined>>;

export interface Mention {
  readonly kind: 'mention';
  readonly userId: string;
  /** The name the platform gave with the mention, when it did. */
  readonly displayName?: string;
}

export interface Reply {
  readonly message: Message;
  /** Shown to the whole channel. Default: only the person who ran the command. */
  readonly public?: boolean;
}

export interface CommandContext {
  readonly deps: AppDeps;
  readonly event: CommandEvent;
  readonly actor: Actor;
  readonly spec: CommandSpec;
  readonly args: Args;
  /** The group the command applies to; present whenever spec.needsGroup. */
  readonly group: GroupRow | undefined;
  /** The person who ran it, as a member record (created on first contact). */
  readonly member: MemberRow;
  readonly isCoordinator: boolean;
}

export type CommandHandler = (ctx: CommandContext) => Promise<Reply>;
