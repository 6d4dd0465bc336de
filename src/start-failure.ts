import { DatabaseUnreachableError } from '../db/errors.js';
import { isDatabaseUnavailable } from './errors.js';

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
    // The connection lost, or the server busy or shutting down: nothing is wrong with copro's tables.
    // A statement timeout (57014) is a table held locked, most likely by another program.
    const timedOut = (cause as { code?: unknown } | undefined)?.code === '57014';
    if (isDatabaseUnavailable(error) && !timedOut)
      return `copro could not start: the database stopped answering while copro was starting (${reason}). Start copro again in a moment. If this keeps happening, check that the database server is running and that the network to it is sound.`;
    return `copro could not start: the database refused a query while starting (${reason}). If another program is using copro's tables, stop it, then start copro again.`;
  }
  return `copro could not start: ${message.split('\n')[0]}`;
}
