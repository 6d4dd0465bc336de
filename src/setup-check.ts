import { mkdirSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { OpenDbOptions, OpenedDb } from '../db/client.js';
import { DatabaseUnreachableError, networkReason } from '../db/errors.js';
import { DataDirInUseError, lockDataDir } from '../db/lock.js';
import { groups } from '../db/schema/index.js';
import { defaultFeatures } from './app.js';
import { type Config, type DiscordConfig, keyringOf, type SlackConfig } from './config.js';
import { unreadableAtStart } from './privacy/unreadable-at-start.js';
import { personalDataOf } from './registry.js';

/** One line of the setup check (`npm run check`). */
export interface CheckResult {
  /** What was checked, e.g. "Slack bot token". */
  readonly subject: string;
  readonly ok: boolean;
  /** What is fine; or what is wrong, with the page and switch that fix it. */
  readonly detail: string;
}

/** A group of checks that may depend on each other (a token first, then what it can do). */
export type Check = () => Promise<readonly CheckResult[]>;

/**
 * Runs every check, prints one line each ("ok" or "FIX"), and answers the exit code: 0 only
 * when everything copro needs holds. A check that throws counts as a problem, never a crash.
 */
export async function runSetupCheck(checks: readonly Check[], out: Writable): Promise<number> {
  let problems = 0;
  for (const check of checks) {
    const results = await check().catch((error: unknown) => [
      {
        subject: 'setup check',
        ok: false,
        detail: `could not finish: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
    for (const r of results) {
      if (!r.ok) problems += 1;
      out.write(`${r.ok ? 'ok ' : 'FIX'}  ${r.subject}: ${r.detail}\n`);
    }
  }
  out.write(
    problems === 0
      ? 'Everything copro needs is in place. Start it with: npm start\n'
      : `${problems === 1 ? 'One thing needs' : `${problems} things need`} fixing before copro can work fully (see FIX above).\n`,
  );
  return problems === 0 ? 0 : 1;
}

/** What the setup check is given: the configuration, and the checks each platform's adapter offers. */
export interface SetupCheckDeps {
  readonly config: Config;
  readonly openDb: (options: OpenDbOptions) => Promise<OpenedDb>;
  readonly slack: (config: SlackConfig) => Promise<readonly CheckResult[]>;
  readonly discord: (
    config: DiscordConfig,
    homeChannelIds: readonly string[],
  ) => Promise<readonly CheckResult[]>;
  /** How long the database may take to answer. */
  readonly databaseTimeoutMs?: number;
}

/**
 * `npm run check`: the database first (the Discord check reads the groups' channels from it),
 * then each configured platform. Returns the exit code.
 */
export async function checkSetup(deps: SetupCheckDeps, out: Writable): Promise<number> {
  const { config } = deps;
  let discordChannels: string[] = [];
  const database: Check = async () => {
    const where = config.databaseUrl
      ? 'the Postgres server in DATABASE_URL'
      : `the embedded database in ${config.dataDir} (COPRO_DATA_DIR)`;
    let opened: OpenedDb | undefined;
    let release = () => {};
    try {
      // The embedded database serves one program: opening it beside a running copro corrupts it.
      if (!config.databaseUrl && !config.dataDir.startsWith('memory://')) {
        mkdirSync(config.dataDir, { recursive: true });
        release = lockDataDir(config.dataDir);
      }
      opened = await withTimeout(
        deps.openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 1 }),
        deps.databaseTimeoutMs ?? 15_000,
      );
      const rows = await opened.db
        .select({ channelId: groups.homeChannelId })
        .from(groups)
        .where(eq(groups.platform, 'discord'));
      discordChannels = rows.map((r) => r.channelId);
      const answers = { subject: 'database', ok: true, detail: `${where} answers and is up to date` };
      const locked = await unreadableAtStart(opened.db, personalDataOf(defaultFeatures()), keyringOf(config));
      if (!locked || config.startWithUnreadable) return [answers];
      return [
        answers,
        { subject: 'encryption key', ok: false, detail: `npm start would stop: ${locked.problem}` },
      ];
    } catch (error) {
      if (error instanceof DataDirInUseError) {
        return [
          {
            subject: 'database',
            ok: false,
            detail: `copro is running with the data in ${config.dataDir} (process ${error.pid}), so it was not opened here. Stop that copro, then run npm run check again.`,
          },
        ];
      }
      const reason = error instanceof DatabaseUnreachableError ? error.reason : unreachableReason(error);
      return [
        {
          subject: 'database',
          ok: false,
          detail: config.databaseUrl
            ? `copro could not reach ${where} (${reason}). Check the address, user and password in DATABASE_URL, and that the server is running.`
            : `copro could not open ${where} (${reason}). Stop any copro already using it, or choose another folder with COPRO_DATA_DIR.`,
        },
      ];
    } finally {
      await opened?.close().catch(() => {});
      release();
    }
  };
  const checks: Check[] = [database];
  const { slack, discord } = config;
  if (slack) checks.push(() => deps.slack(slack));
  if (discord) checks.push(() => deps.discord(discord, discordChannels));
  if (!slack && !discord) {
    checks.push(async () => [
      {
        subject: 'chat platforms',
        ok: true,
        detail:
          'none set, so npm start opens the terminal chat. README, "Connect to Slack" and "Connect to Discord", say what to set.',
      },
    ]);
  }
  return runSetupCheck(checks, out);
}

/**
 * Why a server could not be reached, in plain words where Node gave a known code ("connection
 * refused"), else the innermost cause's first line. Slack's client keeps its cause in `original`.
 */
export function unreachableReason(error: unknown): string {
  let inner = error;
  for (let at: unknown = error; at instanceof Error; ) {
    const { code, name } = at as { code?: unknown; name: string };
    const plain =
      typeof code === 'string'
        ? networkReason(code)
        : name === 'AbortError' || name === 'TimeoutError'
          ? 'it did not answer in time'
          : undefined;
    if (plain) return plain;
    inner = at;
    at = at.cause ?? (at as { original?: unknown }).original;
  }
  const message = inner instanceof Error ? inner.message || inner.name : String(inner);
  // fetch refuses some ports outright (1, 9, 25 and others), whatever is listening there.
  if (message === 'bad port') return 'that port cannot be used for web addresses; choose another';
  return message.split('\n')[0] as string;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
