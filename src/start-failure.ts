import { DatabaseUnreachableError } from '../db/errors.js';

/**
 * One plain line. A database that cannot be reached is explained in full already. A failed query
 * names its statement and the values in it (Drizzle writes both into the message): only the
 * database's reason is said, and what to do.
 */
export function whyNotStarted(error: unknown): string {
  if (error instanceof DatabaseUnreachableError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Failed query')) {
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : 'it gave no reason';
    return `copro could not start: the database refused a query while starting (${reason}). If another program is using copro's tables, stop it, then start copro again.`;
  }
  return `copro could not start: ${message.split('\n')[0]}`;
}
