import { Writable } from 'node:stream';
import fc from 'fast-check';
import { catalogue } from '../../src/commands/catalogue.js';
import type { CommandSpec, OptionSpec, OptionType } from '../../src/commands/types.js';
import { createLogger, type Logger } from '../../src/logger.js';

/**
 * What a member must never read: leaked internals (a stack trace, an exception's name, a raw
 * validation message) or a value that was never filled in. Each is only a finding when the
 * person did not type it themselves, since copro may quote their words back.
 */
const UGLY: readonly [string, RegExp][] = [
  ['a stack trace', /\n\s+at [^\n]*:\d+:\d+/],
  ['an exception name', /\b(?:Type|Range|Syntax|Reference)Error\b|\bError:/],
  ['a missing value', /\bundefined\b/],
  ['an object written as text', /\[object \w+\]/],
  ['a number that is not one', /\bNaN\b/],
  ['a date that is not one', /Invalid Date|Invalid DateTime/],
  ['a number too large to be one', /\bInfinity\b/],
  ['a raw validation message', /\bZodError\b|\binvalid_type\b|Invalid input: expected|Too (?:big|small):/],
  ['an unexpected failure', /Something went wrong on our side/],
];

/**
 * Why `answer` would be ugly to a person who typed `input`, or undefined when it reads fine.
 * `typedBefore` names the kinds a test's earlier inputs held: copro may quote those back later,
 * as a poll's question in a list of polls.
 */
export function uglyPart(
  answer: string,
  input = '',
  typedBefore: ReadonlySet<string> = new Set(),
): string | undefined {
  for (const [what, pattern] of UGLY) {
    if (pattern.test(answer) && !pattern.test(input) && !typedBefore.has(what))
      return `${what} in ${JSON.stringify(answer)}`;
  }
  return undefined;
}

/** The kinds of ugly text found in what was typed so far (see uglyPart). */
export function typedSoFar(): { kinds: ReadonlySet<string>; add(input: string): void } {
  const kinds = new Set<string>();
  return {
    kinds,
    add(input) {
      for (const [what, pattern] of UGLY) if (pattern.test(input)) kinds.add(what);
    },
  };
}

/** A logger whose warnings and errors a test can read (one parsed line each). */
export function recordingLogger(level = 'warn'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

/** Error-level lines (pino's 50 and up): each one is a failure copro did not expect. */
export const errorsIn = (lines: Record<string, unknown>[]) => lines.filter((l) => Number(l.level) >= 50);

/**
 * Records promises rejected with nobody listening while `run` goes on. Vitest would report them
 * after the file ends, far from the input that caused them; this names the run that did.
 */
export async function withoutUnhandledRejections<T>(run: () => Promise<T>): Promise<T> {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', listener);
  try {
    const result = await run();
    // A rejection is reported after the microtasks of its turn: give it a turn to arrive.
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) throw new Error(`unhandled rejection: ${String(rejections[0])}`);
    return result;
  } finally {
    process.off('unhandledRejection', listener);
  }
}

const specs: readonly CommandSpec[] = catalogue;
const words = [...new Set(specs.flatMap((c) => c.path))];
const optionNames = [...new Set(specs.flatMap((c) => c.options.map((o) => o.name)))];
const choices = [...new Set(specs.flatMap((c) => c.options.flatMap((o) => o.choices ?? [])))];

/** Text people (and platforms) send that is easy to get wrong: odd characters, sizes, shapes. */
export const awkwardText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u200b',
    '\u202e',
    '👩🏽‍🔬',
    '🎉🎉',
    'Ünïcødé',
    '日本語',
    '\\',
    '*',
    '_',
    '`',
    '<>',
    '&amp;',
    '\n',
    '\t',
    '%s',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: text that looks like a template is the point
    '${x}',
    '__proto__',
    'constructor',
    'toString',
    '0',
    '-1',
    '1e309',
    '9007199254740993',
    '3.5',
    'Infinity',
  ),
  fc.nat({ max: 3000 }).map((n) => 'x'.repeat(n)),
);

/**
 * One word of a command line: catalogue words and flags, codes, mentions, quotes, or junk.
 * `known` are words that mean something in the test's world, such as a real poll's code.
 */
const tokenWith = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('P1', ...known) },
    { weight: 4, arbitrary: fc.constantFrom(...words) },
    { weight: 3, arbitrary: fc.constantFrom(...optionNames).map((n) => `--${n}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...optionNames), awkwardText)
        .map(([n, v]) => `--${n}=${v.replace(/\s/g, '')}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...choices, 'coordinator', 'member', 'researcher') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'P1',
        'P2',
        'M1',
        'M2',
        'F1',
        '1',
        '2',
        '0',
        '-3',
        '99999999999',
        '3d',
        '1.5h',
        '0m',
        '-2w',
        '999999w',
        '2026-11-30',
        '2026-02-30',
        '30/11/2026',
        'friday 5pm',
        'tomorrow',
        'mon 09:00',
        '25:99',
        '£12.50',
        '12,50',
        'https://example.org/papers',
        'javascript:alert(1)',
        '--',
        '-',
        '--every',
        '--every=week',
        'weekly',
        '--ics',
        '--csv',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '<@UANN>',
        '<@USAM|sam>',
        '<@!123456789012345678>',
        '@Sam',
        '@',
        '<@>',
        '<#C1>',
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('"', '“', '”', "'", '‘'), awkwardText, fc.constantFrom('"', '”', '', "'"))
        .map(([open, inner, close]) => `${open}${inner}${close}`),
    },
    { weight: 2, arbitrary: awkwardText },
  );

/** A value for one option, of its own type mostly, sometimes of another. */
function valueFor(option: OptionSpec, known: readonly string[]): fc.Arbitrary<string> {
  const quoted = awkwardText.map((t) => `"${t.replace(/["“”]/g, '')}"`);
  const byType: Record<OptionType, fc.Arbitrary<string>> = {
    string: fc.oneof(quoted, fc.constantFrom('P1', 'M1', 'F1', ...known)),
    text: quoted,
    user: fc.constantFrom('<@ann>', '<@sam>', '@Sam', '@ann', '<@UNOBODY>', '@nobody', '@'),
    integer: fc.oneof(
      fc.integer({ min: -5, max: 30 }).map(String),
      fc.constantFrom('99999999999', '1.5', '1e3', '0x10', '٣'),
    ),
    duration: fc.constantFrom('3d', '1.5h', '90m', '0m', '2w', '999999w', '0.001m', '1d2h', 'soon'),
    role: fc.constantFrom('coordinator', 'member', 'researcher', '"lay reviewer"', '"expert by experience"'),
    flag: fc.constant(''),
  };
  const own = option.choices ? fc.constantFrom(...option.choices) : byType[option.type];
  return fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: quoted });
}

/** One of the command's own options, written as it would be typed (positional or --name). */
function optionText(option: OptionSpec, known: readonly string[]): fc.Arbitrary<string> {
  if (option.type === 'flag') return fc.constant(`--${option.name}`);
  const value = option.variadic
    ? fc.array(valueFor(option, known), { maxLength: 22 }).map((v) => v.join(' '))
    : valueFor(option, known);
  return option.named ? value.map((v) => `--${option.name} ${v}`) : value;
}

/** A command from the catalogue with some of its own options filled in, in order. */
function specLine(spec: CommandSpec, known: readonly string[]): fc.Arbitrary<string> {
  const parts = spec.options.map((o) =>
    fc.option(optionText(o, known), { freq: o.required ? 8 : 2, nil: undefined }),
  );
  return fc
    .tuple(...parts)
    .map((values) => [spec.path.join(' '), ...values.filter((v) => v !== undefined)].join(' '));
}

const examples = catalogue.map((c) => c.example.replace(/^\/copro\s*/, ''));

/**
 * A command line as someone might type it after /copro: usually a real command's words (or its
 * example), then a few tokens of every kind; sometimes nothing recognisable at all.
 */
export function commandLine(known: readonly string[] = []): fc.Arbitrary<string> {
  const token = tokenWith(known);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...specs).chain((spec) => specLine(spec, known)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...examples), fc.array(token, { maxLength: 3 }))
        .map(([example, rest]) => [example, ...rest].join(' ')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...catalogue.map((c) => c.path.join(' '))),
          fc.array(token, { maxLength: 6 }),
          fc.constantFrom(' ', '  ', '\t', '\u00a0', '\n'),
          fc.boolean(),
        )
        .map(([path, rest, gap, shout]) => {
          const line = [path, ...rest].join(gap);
          return shout ? line.toUpperCase() : line;
        }),
    },
    { weight: 2, arbitrary: fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')) },
    { weight: 1, arbitrary: awkwardText },
  );
}

/** Runs per property: modest by default so the suite stays fast; FUZZ_RUNS=5000 searches longer. */
export const runs = (usual: number): number => Number(process.env.FUZZ_RUNS) || usual;

/** One change to a payload: the `pick`-th field (counting every nested one) removed or replaced. */
export interface Damage {
  readonly pick: number;
  readonly replace: boolean;
  readonly value: unknown;
}

/** Half the time none, so undamaged payloads with odd values reach the handlers too. */
export const damage: fc.Arbitrary<Damage[]> = fc.oneof(
  fc.constant<Damage[]>([]),
  fc.array(
    fc.record({
      pick: fc.nat({ max: 60 }),
      replace: fc.boolean(),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        awkwardText,
        fc.constantFrom(null, '', [], {}, 0, -1, true),
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
);

/**
 * A copy of `payload` with each damage done: a platform that sends a field missing, null, of
 * another type, or holding junk. Fields are counted depth first, so a shrunk case names one.
 */
export function damaged<T>(payload: T, damages: readonly Damage[]): T {
  const copy = structuredClone(payload) as unknown;
  for (const d of damages) {
    const slots: [Record<string, unknown>, string][] = [];
    const walk = (node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      for (const key of Object.keys(node)) {
        slots.push([node as Record<string, unknown>, key]);
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(copy);
    const slot = slots[d.pick % Math.max(slots.length, 1)];
    if (!slot) continue;
    const [parent, key] = slot;
    if (d.replace) parent[key] = structuredClone(d.value);
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  }
  return copy as T;
}
