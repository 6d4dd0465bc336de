import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type PgDatabase, type PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { explainConnectionFailure } from './errors.js';
import * as schema from './schema/index.js';

export { schema };

/** The Drizzle database every feature uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle, accepted wherever a Db is. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A group and a member as stored: the core and every feature share these shapes. */
export type GroupRow = typeof schema.groups.$inferSelect;
export type MemberRow = typeof schema.members.$inferSelect;

/**
 * Whether `n` can be a row's id (our ids are Postgres integers). An id read back from a button or
 * a form can be anything the platform sent; asking Postgres for NaN, 1.5 or 2^40 fails the query
 * instead of finding nothing.
 */
export const isRowId = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 2_147_483_647;

export interface OpenDbOptions {
  /** postgres:// URL of a server. When absent, the embedded PGlite database is used. */
  readonly databaseUrl?: string;
  /** Where PGlite keeps its files; "memory://" keeps nothing. */
  readonly dataDir: string;
  /** Connections to a server (ignored by PGlite, which serves one). */
  readonly maxConnections?: number;
  /** A PGlite data dir saved with dumpDataDir to start from, instead of an empty database. */
  readonly loadDataDir?: Blob;
  /**
   * Called with every statement sent, for benchmarks that count round trips. On a server it sees
   * all of them (BEGIN and COMMIT too); on PGlite, those Drizzle builds (not BEGIN and COMMIT).
   */
  readonly onQuery?: (query: string) => void;
}

export interface OpenedDb {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Answers when the database answers; used by health checks. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The longest a health check waits for the database before calling it unavailable. */
export const PING_TIMEOUT_MS = 2000;
/** Server connections: no statement runs longer, no transaction sits idle longer. */
export const STATEMENT_TIMEOUT_MS = 15_000;
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** True when `query` answers within `ms`; false when it fails or takes longer. */
function answersWithin(query: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    query.then(
      (ok) => {
        clearTimeout(timer);
        resolve(ok);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * PGlite's page cache. PGlite keeps it inside its WebAssembly memory and touches all of it at
 * start, so each MB here is a MB of copro's memory from the first second; with Postgres's default
 * (128MB) it was the largest part on a small host. The embedded database serves a few groups, and
 * a page not cached is read from the data folder through the system's file cache, at little cost
 * in speed (bench/footprint.ts: 16MB to 4MB took 14MB off, 1,000 events took as long; below 4MB
 * nothing more came off).
 */
export const PGLITE_SHARED_BUFFERS = '4MB';

const here = dirname(fileURLToPath(import.meta.url));
/** The migrations beside this file; compiled (dist/db/client.js), they stay beside the source. */
export const migrationsFolder =
  basename(dirname(here)) === 'dist' ? join(here, '..', '..', 'db', 'migrations') : join(here, 'migrations');

type Client = ReturnType<typeof postgres>;
type Work = (client: Client) => unknown;

/**
 * The client, with every statement Drizzle sends prepared. Drizzle asks postgres-js for unnamed
 * statements, and for those postgres-js first asks the server the types of the parameters and
 * waits for its answer before it sends their values: two round trips a statement, and the server
 * parses every text again. Prepared, a connection parses each text once and then runs it in one
 * round trip. On two cores a vote's statements cost copro's thread, and the server's, half as
 * many writes (bench/poll-votes.ts). copro's commonest statements keep one text whatever their
 * number of rows (db/rows.ts), so each connection keeps few; postgres-js retires connections
 * after 30 to 60 minutes, and what they kept goes with them.
 */
function preparing(client: Client): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, params?: never, options?: Record<string, unknown>) =>
          target.unsafe(query, params, { ...options, prepare: true });
      // A transaction's statements go through a client of its own, made by postgres-js.
      if (prop === 'begin' || prop === 'savepoint')
        return (...args: unknown[]) => {
          const work = args.pop() as Work;
          const open = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
          return open.call(target, ...args, (tx: Client) => work(preparing(tx)));
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Open the database and bring its schema up to date. */
export async function openDb(options: OpenDbOptions): Promise<OpenedDb> {
  if (options.databaseUrl) {
    const sql = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
      // postgres-js waits longer before each new try at a connection after a failed one, up to
      // 20 s: a database that came and went a few times stayed out of reach for that long after
      // it was back, and people were told to try again. A second at most, for Slack's 3 s.
      backoff: (failures: number) => Math.min(0.05 * 2 ** failures, 1),
      ...(options.onQuery ? { debug: (_connection: number, query: string) => options.onQuery?.(query) } : {}),
      // A query stuck behind a lock or a runaway plan ends with an error instead of holding a
      // connection (and the person waiting) for ever.
      connection: {
        application_name: 'copro',
        statement_timeout: STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
    });
    const db = drizzlePostgres(preparing(sql), { schema, casing: 'snake_case' });
    try {
      await migratePostgres(db, { migrationsFolder });
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => undefined);
      throw explainConnectionFailure(error, options.databaseUrl);
    }
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      ping: () =>
        answersWithin(
          sql`select 1`.then(() => true),
          PING_TIMEOUT_MS,
        ),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const memory = options.dataDir.startsWith('memory://');
  if (!memory) mkdirSync(resolve(options.dataDir), { recursive: true });
  const client = await PGlite.create(memory ? options.dataDir : resolve(options.dataDir), {
    loadDataDir: options.loadDataDir,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  const onQuery = options.onQuery;
  const logger = onQuery ? { logQuery: (query: string) => onQuery(query) } : undefined;
  const db = drizzlePglite(client, { schema, casing: 'snake_case', logger });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: () =>
      answersWithin(
        client.query('select 1').then(() => true),
        PING_TIMEOUT_MS,
      ),
    close: () => client.close(),
  };
}

/**
 * Run `work` in a transaction: the caller's own when `db` already is one (no savepoint, which is
 * one more round trip and changes nothing: a failure rolls the caller's back anyway), else a new one.
 */
export function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db instanceof PgTransaction ? work(db as Tx) : db.transaction(work);
}
