/** The database server could not be reached or refused us: an admin's problem, said plainly. */
export class DatabaseUnreachableError extends Error {
  constructor(
    message: string,
    /** The reason alone, such as "connection refused". */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DatabaseUnreachableError';
  }
}

/** Why a connection to any server failed, by the code Node gave, in words an admin can act on. */
export function networkReason(code: string): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no computer by that name was found';
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'ECONNABORTED':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'it did not answer in time';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network cannot reach it';
    case 'ECONNRESET':
      return 'it closed the connection';
    default:
      return undefined;
  }
}

/** Why a connection failed, by the code Node or Postgres gave, in words an admin can act on. */
function reasonFor(code: string, url: URL): string | undefined {
  const user = decodeURIComponent(url.username) || 'the default user';
  const database = decodeURIComponent(url.pathname.slice(1)) || 'the default database';
  switch (code) {
    case '28P01':
      return `the password for ${user} was refused`;
    case '28000':
      return `it does not accept ${user}`;
    case '3D000':
      return `it has no database called ${database}`;
    default:
      return networkReason(code);
  }
}

/**
 * Turn a failure to connect into a DatabaseUnreachableError naming the host and the reason
 * (never the password). Anything else, such as a failing migration, is returned unchanged.
 */
export function explainConnectionFailure(error: unknown, databaseUrl: string): unknown {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return error;
  }
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    const reason = typeof code === 'string' ? reasonFor(code, url) : undefined;
    if (reason) {
      const where = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
      return new DatabaseUnreachableError(
        `copro could not reach the database at ${where} (${reason}). Check DATABASE_URL.`,
        reason,
        { cause: error },
      );
    }
  }
  return error;
}
