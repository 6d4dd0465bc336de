import { CONTROL_CHARACTER, readableNumber } from '../chat/index.js';
import { UserError } from '../errors.js';
import { catalogue } from './catalogue.js';
import { commandWords, copiedPlaceholder, misspeltCommand, wordOutOfPlace } from './guesses.js';
import { addsMinutes, asOption, numberThenUnit } from './slips.js';
import { type Token, tokenize } from './tokens.js';
import type { Args, ArgValue, CommandSpec, OptionSpec } from './types.js';
import { usageLine } from './usage.js';
import { coerce, echo, tooLong } from './values.js';

export type ParseResult =
  | { readonly ok: true; readonly spec: CommandSpec; readonly args: Args }
  | { readonly ok: false; readonly error: UserError };

const HELP_HINT = 'Type /copro help to see everything copro can do.';

function usageError(spec: CommandSpec, problem: string, code: 'usage' | 'too_long' = 'usage'): ParseResult {
  return {
    ok: false,
    error: new UserError(code, `${problem}\nUsage: ${usageLine(spec)}\nExample: ${spec.example}`),
  };
}

/** The catalogue entry whose words match the start of the line; the longest match wins. */
function matchSpec(tokens: readonly Token[], specs: readonly CommandSpec[]): CommandSpec | undefined {
  let best: CommandSpec | undefined;
  for (const spec of specs) {
    const fits = spec.path.every((word, i) => {
      const t = tokens[i];
      return t !== undefined && !t.quoted && t.value.toLowerCase() === word;
    });
    if (fits && (!best || spec.path.length > best.path.length)) best = spec;
  }
  return best;
}

/** No command is longer than this; a longer line is refused before it is read. */
export const MAX_COMMAND_LENGTH = 4000;

const controlCharacterError = () =>
  new UserError(
    'control_character',
    'What you typed has a hidden control character in it (this can happen when text is copied and pasted), and copro cannot keep it. Please type it again rather than pasting it.',
  );

/** Parse the text typed after /copro (Slack, console). Never throws. */
export function parseCommand(line: string, specs: readonly CommandSpec[] = catalogue): ParseResult {
  if (CONTROL_CHARACTER.test(line)) return { ok: false, error: controlCharacterError() };
  if (line.length > MAX_COMMAND_LENGTH) {
    // Most often one part is far too long (a pasted answer): its own limit is the useful answer.
    const read = parseWords(line, specs);
    if (!read.ok && read.error.code === 'too_long') return read;
    return {
      ok: false,
      error: new UserError(
        'too_long',
        `That is too long for one command (${readableNumber(line.length)} characters; the most is ${readableNumber(MAX_COMMAND_LENGTH)}). Please make it shorter.`,
      ),
    };
  }
  return parseWords(line, specs);
}

function parseWords(line: string, specs: readonly CommandSpec[]): ParseResult {
  const tokenized = tokenize(line);
  if (!tokenized.ok) {
    // The command's own words come before any quote: with them, the answer can show its usage.
    const words = tokenize(line.split(/["“”„«»'‘’‚]/)[0] ?? '');
    const spec = words.ok ? matchSpec(words.tokens, specs) : undefined;
    return spec
      ? usageError(spec, tokenized.problem)
      : { ok: false, error: new UserError('usage', `${tokenized.problem}\n${HELP_HINT}`) };
  }
  const { tokens } = tokenized;
  if (tokens.length === 0) return parseCommand('help', specs);
  const spec = matchSpec(tokens, specs);
  if (!spec) return { ok: false, error: unknownCommand(tokens, specs) };
  const bound = bindArgs(spec, tokens.slice(spec.path.length));
  // "feedback F1 close ..." reads as feedback saying "F1 close ...": a code, then the word of a
  // longer command, is taken as that command in the wrong order.
  const reordered = wordOutOfPlace(tokens, spec.path, specs, fitsArgs, bound.ok);
  if (bound.ok && !reordered) return bound;
  // "poll clsoe P7K2" reads as a poll asking "clsoe", and "poll P7K2 close" as one asking "P7K2":
  // when that fails, the likelier meaning is said.
  const guess =
    (bound.ok ? undefined : misspeltCommand(tokens, specs, commandWords(tokens, specs))) ?? reordered;
  if (!guess) return bound;
  return {
    ok: false,
    error: new UserError(
      'usage',
      `Did you mean ${echo(guess.meant, 80)}? If so, please type it again that way.`,
    ),
  };
}

/**
 * A line that matches no command. When its first words start several commands (digest preview,
 * digest now; onboarding checklist add, onboarding checklist remove), say which words may follow
 * the longest run of them typed, instead of claiming not to know a word that is right.
 */
function unknownCommand(tokens: readonly Token[], specs: readonly CommandSpec[]): UserError {
  const read = commandWords(tokens, specs);
  const guess = misspeltCommand(tokens, specs, read);
  if (guess)
    return new UserError(
      'unknown_command',
      `copro does not know "${echo(guess.typed, 30)}". Did you mean ${echo(guess.meant, 80)}? ${HELP_HINT}`,
    );
  const reordered = wordOutOfPlace(tokens, read.words.slice(0, read.depth), specs, fitsArgs);
  if (reordered)
    return new UserError(
      'unknown_command',
      `Did you mean ${echo(reordered.meant, 80)}? If so, please type it again that way.`,
    );
  const { words, depth, startsWith } = read;
  if (depth === 0)
    return new UserError(
      'unknown_command',
      `copro does not know "${echo(tokens[0]?.value ?? '', 30)}". ${HELP_HINT}`,
    );
  const family = specs.filter((s) => startsWith(s, depth));
  const next = [...new Set(family.map((s) => s.path[depth] as string))];
  const command = `/copro ${words.slice(0, depth).join(' ')}`;
  const typed = tokens[depth] ? echo(tokens[depth]?.value ?? '', 30) : undefined;
  const start = typed ? `${command} cannot be followed by "${typed}".` : `${command} needs one more word.`;
  return new UserError(
    'unknown_command',
    `${start} Type ${command} followed by ${orList(next)}, for example ${family[0]?.example}. ` +
      `For more, type /copro help ${words[0]}.`,
  );
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

const fitsArgs = (spec: CommandSpec, args: readonly Token[]) => bindArgs(spec, args).ok;

function bindArgs(spec: CommandSpec, rest: readonly Token[]): ParseResult {
  const raw: Record<string, string | string[] | true> = {};
  const positional: string[] = [];
  // Which run of words between named options each positional word came in.
  const runOf: number[] = [];
  let run = 0;
  // The named option whose value begins each run, when it may be several words: "--from 20 Nov"
  // leaves "Nov" after it.
  const valueBefore = new Map<number, { readonly name: string; readonly value: string }>();
  for (let i = 0; i < rest.length; i++) {
    const t = asOption(spec, rest[i] as Token);
    if (t.quoted || !t.value.startsWith('--') || t.value === '--') {
      positional.push(t.value);
      runOf.push(run);
      continue;
    }
    run++;
    const [flagName = '', inline] = t.value.slice(2).split(/=(.*)/s, 2);
    const option = spec.options.find((o) => o.named && o.name === flagName.toLowerCase());
    if (!option) return usageError(spec, `copro does not know the option --${echo(flagName, 30)}.`);
    if (option.type === 'flag') {
      raw[option.name] = true;
      continue;
    }
    const next = rest[i + 1];
    // "--timezone --name x": the value was left out, and the next option is not it.
    const nextIsOption =
      next !== undefined && !next.quoted && next.value.startsWith('--') && next.value !== '--';
    let value = inline ?? (nextIsOption ? undefined : next?.value);
    if (inline === undefined && !nextIsOption) i++;
    const after = rest[i + 1];
    if (inline === undefined && !next?.quoted && takesTime(option) && numberThenUnit(value ?? '', after)) {
      value = `${value} ${after.value}`;
      i++;
    }
    if (value === undefined || value.trim() === '')
      return usageError(spec, `--${option.name} needs a value: ${lowerFirst(option.description)}.`);
    raw[option.name] = value;
    if (inline === undefined && !next?.quoted && takesPhrase(option))
      valueBefore.set(run, { name: option.name, value });
  }

  const positionals = spec.options.filter((o) => !o.named);
  for (const [index, option] of positionals.entries()) {
    const isLast = index === positionals.length - 1;
    if (option.variadic) {
      raw[option.name] = positional.splice(0);
    } else if (isLast && (option.type === 'text' || option.type === 'role') && positional.length > 1) {
      // The last phrase may be typed without quotes: role add @sam expert by experience
      raw[option.name] = positional.splice(0).join(' ');
    } else if (option.type === 'duration' && positional.length > 1 && addsMinutes(positional)) {
      // "1h 30m", as copro writes a time back: both words are the time.
      raw[option.name] = positional.splice(0, 2).join(' ');
    } else if (positional.length > 0) {
      raw[option.name] = positional.shift() as string;
    }
  }
  if (positional.length > 0) {
    const extra = positional.filter((p) => p.trim() !== '');
    if (extra.length === 0)
      return usageError(
        spec,
        'There is an empty pair of quotes ("") here that the command does not need. Please leave it out.',
      );
    // Every word left came straight after a named option's value, and nothing else in that run.
    const runs = runOf.slice(-positional.length);
    const after = valueBefore.get(runs[0] as number);
    const onlyAfter =
      after && runs.every((r) => r === runs[0]) && runOf.filter((r) => r === runs[0]).length === runs.length;
    const advice = onlyAfter
      ? ` To give --${after.name} more than one word, put them in quotes: --${after.name} "${echo([after.value, ...extra].join(' '))}".`
      : // Quotes help only where an option may take several words: not an id or a choice.
        spec.options.some(takesPhrase)
        ? ' Put phrases in "quotes".'
        : ' Please leave it out.';
    return usageError(
      spec,
      `There is more here than the command needs: "${echo(extra.join(' '))}".${advice}`,
    );
  }
  // "role add @sam ROLE" or poll "Question?" "Option A" "Option B", copied from the usage line.
  for (const option of spec.options) {
    const copied = copiedPlaceholder(option, raw[option.name]);
    if (copied)
      return usageError(
        spec,
        `${copied} only shows where something goes. ${option.type === 'user' ? 'Mention' : 'Type'} the real one in its place: ${lowerFirst(option.description)}.`,
      );
  }
  return coerceAll(spec, raw, 'typed');
}

/** How the values arrived: typed on one line (Slack, terminal), or one box each (Discord). */
type Entry = 'typed' | 'boxes';

function coerceAll(
  spec: CommandSpec,
  raw: Record<string, string | string[] | true | undefined>,
  entry: Entry,
): ParseResult {
  const args: Record<string, ArgValue> = {};
  for (const option of spec.options) {
    const value = raw[option.name];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (option.required) return usageError(spec, missing(option));
      continue;
    }
    if (value === true) {
      args[option.name] = true;
      continue;
    }
    if (Array.isArray(value)) {
      const { min, max, item } = option.variadic ?? { min: 0, max: Number.POSITIVE_INFINITY, item: 'value' };
      const items = value.map((v) => v.trim());
      const empty = items.indexOf('');
      if (empty >= 0 && items.length > 1) {
        return usageError(
          spec,
          `The ${ordinal(empty + 1)} ${item} is empty. ` +
            (entry === 'typed'
              ? 'Put some words between its quotes, or leave it out.'
              : 'Put some words between the semicolons, or leave it out.'),
        );
      }
      const given = items.filter((v) => v !== '');
      if (given.length < min || given.length > max) {
        const count = given.length === 1 ? `one ${item}` : `${given.length} ${item}s`;
        return usageError(
          spec,
          `Please give between ${min} and ${max} ${item}s, ` +
            `${entry === 'typed' ? 'each in "quotes"' : 'separated by semicolons'} (you gave ${count}).`,
        );
      }
      const overLimit = given.map((one) => tooLong(option, one)).find(Boolean);
      if (overLimit) return usageError(spec, overLimit, 'too_long');
      args[option.name] = given;
      continue;
    }
    const coerced = coerce(option, value);
    if (!coerced.ok) return usageError(spec, coerced.problem, tooLong(option, value) ? 'too_long' : 'usage');
    args[option.name] = coerced.value;
  }
  return { ok: true, spec, args };
}

/** Missing-value messages come from the option's description: "Please say when, e.g. ...". */
function missing(option: OptionSpec): string {
  return option.type === 'user'
    ? 'Say who: mention them with @.'
    : `Please say ${lowerFirst(option.description)}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
function ordinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

/**
 * Bind options that arrive already structured (Discord). Values go through the same checks as
 * typed ones. A variadic option arrives as one string, its items separated by ";" or "|".
 */
export function parseStructured(
  commandId: string,
  options: Readonly<Record<string, string | number | boolean | undefined>>,
  specs: readonly CommandSpec[] = catalogue,
): ParseResult {
  const spec = specs.find((s) => s.id === commandId);
  if (!spec) {
    return {
      ok: false,
      error: new UserError('unknown_command', `copro does not know that command. ${HELP_HINT}`),
    };
  }
  const raw: Record<string, string | string[] | true | undefined> = {};
  for (const option of spec.options) {
    const value = options[option.name];
    if (value === undefined || value === false) continue;
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value))
      return { ok: false, error: controlCharacterError() };
    if (option.type === 'flag') raw[option.name] = true;
    // A separator at either end ("Monday; Friday;") is a slip, not an empty answer.
    else if (option.variadic)
      raw[option.name] = String(value)
        .replace(/^[\s;|]+|[\s;|]+$/g, '')
        .split(/\s*[;|\n]\s*/);
    else raw[option.name] = String(value);
  }
  return coerceAll(spec, raw, 'boxes');
}

/** Whether an option's value may be a length of time or a date: anything but an id or a number. */
function takesTime(o: OptionSpec): boolean {
  return o.type === 'duration' || (o.type === 'string' && !/^ID\b/.test(o.placeholder ?? ''));
}

/**
 * Whether an option may take several words, which then need quotes around them: a title, a type
 * ("document review"), a date ("20 Nov"), a length ("4 weeks").
 */
function takesPhrase(o: OptionSpec): boolean {
  if (o.type === 'text' || o.type === 'role') return true;
  // An id, or one of a few fixed choices (2|3|4), is always one word.
  return o.type === 'string' && !/^ID\b/.test(o.placeholder ?? '') && !o.placeholder?.includes('|');
}
