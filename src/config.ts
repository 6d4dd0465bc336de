import { z } from 'zod';
import type { Keyring } from './privacy/sealed.js';

const PORT_PROBLEM = 'must be a port number, like 3000';
const TEST_ADDRESS =
  'is for testing only: leave it out to use the real service, or give an address such as http://127.0.0.1:4010/api/';
const KEY_PROBLEM = 'must be 32 bytes, base64-encoded: make one with openssl rand -base64 32';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Typed configuration. This is the only module that reads process.env. */
const schema = z
  .object({
    DATABASE_URL: z
      .url({
        protocol: /^postgres(ql)?$/,
        message: 'must be a postgres:// address, such as postgres://copro@db.example.org:5432/copro',
      })
      .optional(),
    COPRO_DATA_DIR: z.string().min(1).default('./.copro'),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, { message: PORT_PROBLEM })
      .transform(Number)
      .refine((port) => port <= 65535, { message: PORT_PROBLEM })
      .default(3000),
    SLACK_BOT_TOKEN: z
      .string()
      .startsWith('xoxb-', {
        message:
          'must start with xoxb-: copy the "Bot User OAuth Token" from your Slack app\'s "OAuth & Permissions" page',
      })
      .optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z
      .string()
      .startsWith('xapp-', {
        message:
          'must start with xapp-: it is the app-level token on your Slack app\'s "Basic Information" page',
      })
      .optional(),
    SLACK_API_URL: z.url({ message: TEST_ADDRESS }).optional(),
    DISCORD_TOKEN: z.string().min(1).optional(),
    DISCORD_APPLICATION_ID: z
      .string()
      .regex(/^\d+$/, {
        message:
          'must be the Application ID, only digits: copy it from "General Information" in the Discord Developer Portal',
      })
      .optional(),
    DISCORD_GUILD_ID: z
      .string()
      .regex(/^\d+$/, {
        message:
          'must be the server\'s id, only digits: in Discord, right-click the server icon → "Copy Server ID"',
      })
      .optional(),
    DISCORD_API_URL: z.url({ message: TEST_ADDRESS }).optional(),
    COPRO_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, { message: KEY_PROBLEM })
      .optional(),
    COPRO_PREVIOUS_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, {
        message: `${KEY_PROBLEM}; it is the key used until now, while data moves to a new one (README, "Changing the encryption key")`,
      })
      .optional(),
    COPRO_START_WITH_UNREADABLE: z
      .enum(['yes'], {
        message:
          'must be "yes" or not set: it lets copro start though some encrypted details cannot be opened with the keys it was given',
      })
      .optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
    COPRO_REMOVED_WORKSPACE_DAYS: z.coerce
      .number({ message: 'must be a whole number of days' })
      .int({ message: 'must be a whole number of days' })
      .min(0, { message: 'must be 0 or more days' })
      .max(365, { message: 'must be 365 days or fewer' })
      .default(30),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is needed with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is needed to turn Slack on' });
    }
    if (env.COPRO_PREVIOUS_ENCRYPTION_KEY && !env.COPRO_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['COPRO_ENCRYPTION_KEY'],
        message:
          'is needed with COPRO_PREVIOUS_ENCRYPTION_KEY: it is the new key (README, "Changing the encryption key")',
      });
    }
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is needed with DISCORD_TOKEN',
      });
    }
    if (!env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_TOKEN'], message: 'is needed to turn Discord on' });
    }
  });

/** Every environment variable copro reads; README's Environment table lists each (a test checks). */
export const SETTING_NAMES = Object.keys(schema.shape);

export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  readonly apiUrl?: string;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  readonly apiUrl?: string;
}

export interface Config {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly port: number;
  readonly slack?: SlackConfig;
  readonly discord?: DiscordConfig;
  /** 32 raw bytes for AES-256-GCM, when configured. */
  readonly encryptionKey?: Buffer;
  /** The key used until now, while data is resealed with encryptionKey (npm run rotate-key). */
  readonly previousEncryptionKey?: Buffer;
  /** Start though some sealed values open with none of the keys given (their key is lost). */
  readonly startWithUnreadable?: boolean;
  /** Unset means: info for Slack and Discord, warn in the terminal chat (logs would bury the chat). */
  readonly logLevel?: string;
  /** Days after a workspace removes copro before its data is erased. */
  readonly removedWorkspaceDays: number;
}

/** The keys copro seals and opens with: the current one and, while changing keys, the one before. */
export function keyringOf(config: Config): Keyring | undefined {
  if (!config.encryptionKey) return undefined;
  return {
    current: config.encryptionKey,
    ...(config.previousEncryptionKey ? { previous: config.previousEncryptionKey } : {}),
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `copro cannot start: fix these settings first (README, "Environment", lists them):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  // An empty variable (FOO= in a .env file) means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.COPRO_DATA_DIR,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    removedWorkspaceDays: e.COPRO_REMOVED_WORKSPACE_DAYS,
    encryptionKey: e.COPRO_ENCRYPTION_KEY ? Buffer.from(e.COPRO_ENCRYPTION_KEY, 'base64') : undefined,
    previousEncryptionKey: e.COPRO_PREVIOUS_ENCRYPTION_KEY
      ? Buffer.from(e.COPRO_PREVIOUS_ENCRYPTION_KEY, 'base64')
      : undefined,
    startWithUnreadable: e.COPRO_START_WITH_UNREADABLE === 'yes',
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            guildId: e.DISCORD_GUILD_ID,
            apiUrl: e.DISCORD_API_URL,
          }
        : undefined,
  };
}

/** The database the test suite runs on: a server when TEST_DATABASE_URL is set, else PGlite. */
export function testDatabaseUrl(env: Env = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}
