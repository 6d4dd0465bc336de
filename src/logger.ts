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

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination ?? pino.destination(2));
}

/** A logger that writes nothing (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
