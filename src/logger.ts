import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold secrets or private answers. pino replaces them before anything is written,
 * so a careless log call cannot leak a token or what a member typed into a form.
 */
const REDACT = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'encryptionKey',
  '*.encryptionKey',
  'previousEncryptionKey',
  '*.previousEncryptionKey',
  'voterSecret',
  '*.voterSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'values',
  '*.values',
  'answers',
  '*.answers',
  'databaseUrl',
  '*.databaseUrl',
];

/**
 * Where drivers keep a failed query's values: Drizzle and PGlite in `params`, postgres-js in
 * `parameters` and `args`; Postgres repeats a conflicting key's values in `detail`.
 */
const QUERY_VALUE_KEYS = new Set(['params', 'parameters', 'args', 'queryOptions', 'detail']);

/**
 * A failed query's values are what members typed (a poll question, an answer about their health)
 * and who they are; Drizzle also writes them into the error's message. Only the query's shape
 * reaches the log: values are left out of the error and of every error in its `cause` chain.
 */
function withoutQueryValues(error: unknown, seen = new Set<unknown>()): unknown {
  if (!(error instanceof Error) || seen.has(error)) return error;
  seen.add(error);
  const clone = Object.create(Object.getPrototypeOf(error)) as Error & { cause?: unknown };
  for (const key of Object.getOwnPropertyNames(error)) {
    if (QUERY_VALUE_KEYS.has(key)) continue;
    Object.defineProperty(clone, key, Object.getOwnPropertyDescriptor(error, key) as PropertyDescriptor);
  }
  const values = (error as { params?: unknown }).params;
  if (values !== undefined) {
    const written = `\nparams: ${values}`;
    clone.message = error.message.replace(written, '\nparams: [redacted]');
    if (error.stack) clone.stack = error.stack.replace(written, '\nparams: [redacted]');
  }
  if (clone.cause !== undefined) clone.cause = withoutQueryValues(clone.cause, seen);
  return clone;
}

const serializeError = (error: unknown) => pino.stdSerializers.err(withoutQueryValues(error) as Error);

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? pino.destination(2),
  );
}

const LEVEL_WORDS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'note',
  40: 'warning',
  50: 'error',
  60: 'error',
};

/**
 * Log lines as sentences, for the terminal chat: there the person reading the log is the person
 * chatting, and a line of JSON among the answers reads as something broken. Details beyond the
 * message and its reference (an error's stack, say) are left out: LOG_LEVEL brings the JSON back.
 */
export function plainLines(out: NodeJS.WritableStream, detailsIn?: string): pino.DestinationStream {
  const where = detailsIn ? `; details in ${detailsIn}` : '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; ref?: string };
          const ref = entry.ref ? ` (reference ${entry.ref}${where})` : '';
          out.write(`copro ${LEVEL_WORDS[entry.level ?? 30] ?? 'note'}: ${entry.msg ?? ''}${ref}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/**
 * The terminal chat's log: sentences on standard error, and the whole entries (an error's stack,
 * say) in `file`, readable by copro's user only, so that a reference given in the chat leads to
 * them. Without a file (an in-memory database), the sentences alone.
 */
export function terminalLog(out: NodeJS.WritableStream, file: string | undefined): pino.DestinationStream {
  if (!file) return plainLines(out);
  return pino.multistream([
    { level: 'trace', stream: plainLines(out, file) },
    {
      level: 'trace',
      stream: pino.destination({ dest: file, append: true, mkdir: true, mode: 0o600, sync: true }),
    },
  ]);
}

/** A logger that writes nothing (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
