import type { SlackConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { type CheckResult, unreachableReason } from '../../src/setup-check.js';
import { slackErrorCode } from './errors.js';
import { createSlackApi, type SlackApi, withSlash } from './outbound.js';

/** The bot scopes copro asks for; both manifests and README's table list exactly these (a test checks). */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'mpim:write',
  'users:read',
  'channels:read',
  'groups:read',
  'files:write',
] as const;

/** The one scope Socket Mode needs on the app-level token. */
export const SLACK_APP_SCOPE = 'connections:write';

const APPS_PAGE = 'https://api.slack.com/apps';

/** Who the bot is, as auth.test tells it. */
export interface SlackIdentity {
  readonly botId?: string;
  readonly botUserId?: string;
  readonly teamId?: string;
  readonly team?: string;
}

export interface SlackCredentialReport {
  readonly results: readonly CheckResult[];
  /** Present when the bot token was accepted. */
  readonly identity?: SlackIdentity;
}

/**
 * Asks Slack about both tokens: auth.test for the bot token and the scopes it was granted (the
 * x-oauth-scopes header), apps.connections.open for the app token in Socket Mode. Start-up stops
 * on any problem; the setup check prints every line.
 */
export async function checkSlackCredentials(
  config: SlackConfig,
  logger: Logger,
  api: SlackApi = createSlackApi(config.botToken, config.apiUrl, logger),
): Promise<SlackCredentialReport> {
  const results: CheckResult[] = [];
  let identity: SlackIdentity | undefined;
  try {
    const auth = await api.auth.test();
    identity = { botId: auth.bot_id, botUserId: auth.user_id, teamId: auth.team_id, team: auth.team };
    results.push({
      subject: 'Slack bot token (SLACK_BOT_TOKEN)',
      ok: true,
      detail: `accepted by the workspace "${auth.team ?? auth.team_id}"`,
    });
    results.push(scopeResult(auth.response_metadata?.scopes));
  } catch (error) {
    results.push(tokenProblem('SLACK_BOT_TOKEN', error, config));
  }
  if (config.appToken) results.push(await checkAppToken(config, logger));
  else results.push(httpModeResult(config));
  return { results, identity };
}

function scopeResult(granted: readonly string[] | undefined): CheckResult {
  const subject = 'Slack bot scopes';
  if (!granted) {
    return { subject, ok: true, detail: 'Slack did not list the granted scopes, so they were not checked' };
  }
  const missing = SLACK_BOT_SCOPES.filter((s) => !granted.includes(s));
  if (missing.length === 0) return { subject, ok: true, detail: `all ${SLACK_BOT_SCOPES.length} granted` };
  const list = missing.join(', ');
  return {
    subject,
    ok: false,
    detail:
      `SLACK_BOT_TOKEN is missing the scope${missing.length > 1 ? 's' : ''} ${list}. At ${APPS_PAGE}, open copro, ` +
      `then "OAuth & Permissions" → "Bot Token Scopes" → "Add an OAuth Scope" (${list}), then ` +
      '"Reinstall to Workspace" at the top of that page.',
  };
}

async function checkAppToken(config: SlackConfig, logger: Logger): Promise<CheckResult> {
  const subject = 'Slack app token (SLACK_APP_TOKEN)';
  const appApi = createSlackApi(config.appToken as string, config.apiUrl, logger);
  try {
    await appApi.apps.connections.open({});
    return { subject, ok: true, detail: `accepted, with ${SLACK_APP_SCOPE}: Socket Mode can connect` };
  } catch (error) {
    if (slackErrorCode(error) === 'missing_scope') {
      return {
        subject,
        ok: false,
        detail:
          `SLACK_APP_TOKEN does not have the scope ${SLACK_APP_SCOPE}. At ${APPS_PAGE}, open copro, then ` +
          `"Basic Information" → "App-Level Tokens" → "Generate Token and Scopes", add the scope ${SLACK_APP_SCOPE}, ` +
          'choose "Generate", and set the new token (xapp-…) as SLACK_APP_TOKEN.',
      };
    }
    return tokenProblem('SLACK_APP_TOKEN', error, config);
  }
}

function httpModeResult(config: SlackConfig): CheckResult {
  return {
    subject: 'Slack connection',
    ok: Boolean(config.signingSecret),
    detail: config.signingSecret
      ? 'HTTP mode: Slack must reach POST /slack/events at your public address. Slack checks ' +
        'SLACK_SIGNING_SECRET on each request; on the app\'s "Event Subscriptions" page the Request URL must say "Verified".'
      : 'HTTP mode needs SLACK_SIGNING_SECRET ("Basic Information" → "App Credentials" → "Signing Secret"), ' +
        'or set SLACK_APP_TOKEN to use Socket Mode.',
  };
}

function tokenProblem(
  variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
  error: unknown,
  config: SlackConfig,
): CheckResult {
  const subject =
    variable === 'SLACK_BOT_TOKEN'
      ? 'Slack bot token (SLACK_BOT_TOKEN)'
      : 'Slack app token (SLACK_APP_TOKEN)';
  const code = slackErrorCode(error);
  if (!code) return { subject, ok: false, detail: unreachable(config, error) };
  const where =
    variable === 'SLACK_BOT_TOKEN'
      ? '"OAuth & Permissions" → "Bot User OAuth Token" (it starts with xoxb-)'
      : '"Basic Information" → "App-Level Tokens" (it starts with xapp-)';
  return {
    subject,
    ok: false,
    detail: `Slack did not accept ${variable} (${code}). At ${APPS_PAGE}, open copro and copy it again from ${where}.`,
  };
}

/** Slack did not answer: where copro looked, why it failed, and what to do about it. */
function unreachable(config: SlackConfig, error: unknown): string {
  const where = config.apiUrl ? withSlash(config.apiUrl) : 'https://slack.com/api/';
  const fix = config.apiUrl
    ? 'SLACK_API_URL is set, and it is for testing only: leave it out to reach Slack itself.'
    : 'Check that this computer is online and allowed to reach slack.com (a firewall or proxy can block it), then try again.';
  return `copro could not reach Slack at ${where} to check it (${unreachableReason(error)}). ${fix}`;
}

/** The first problem in a report, as the message start-up stops with. */
export function firstProblem(report: SlackCredentialReport): string | undefined {
  const bad = report.results.find((r) => !r.ok);
  return bad ? `${bad.subject}: ${bad.detail}` : undefined;
}
