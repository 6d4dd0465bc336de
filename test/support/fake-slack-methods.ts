import type { FakeSlackUser } from './fake-slack.js';
import { blockProblems } from './fake-slack-blocks.js';

export interface MethodContext {
  readonly botToken: string;
  readonly appToken: string;
  /** The scopes each token was granted, read on every call (a test may change them). */
  readonly scopesOf: (token: string) => readonly string[];
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly users: ReadonlyMap<string, FakeSlackUser>;
  readonly channelCreators: Readonly<Record<string, string>>;
  /** Where Socket Mode clients should connect (asked late: the server's port is known by then). */
  readonly socketUrl: () => string;
  /** Where a file's bytes go after files.getUploadURLExternal (asked late, like socketUrl). */
  readonly uploadUrl: (fileId: string) => string;
  /** Files asked for, by id: their bytes arrive at uploadUrl, then completeUploadExternal shares them. */
  readonly uploads: Map<string, FakeSlackUpload>;
}

/** One file going through Slack's three-step upload, as the fake has seen it so far. */
export interface FakeSlackUpload {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  content?: string;
  /** Set by files.completeUploadExternal: where it was shared. */
  shared?: { readonly channelId: string; readonly threadTs?: string; readonly title?: string };
}

/** The scope Slack requires for each method copro calls (views.* and auth.test need none). */
function scopeNeeded(method: string, body: Record<string, unknown>): string | undefined {
  switch (method) {
    case 'chat.postMessage':
    case 'chat.postEphemeral':
    case 'chat.update':
      return 'chat:write';
    case 'users.info':
      return 'users:read';
    case 'conversations.open':
      return String(body.users ?? '').includes(',') ? 'mpim:write' : 'im:write';
    case 'apps.connections.open':
      return 'connections:write';
    case 'files.getUploadURLExternal':
    case 'files.completeUploadExternal':
      return 'files:write';
    default:
      return undefined;
  }
}

/** Slack's answers to the Web API methods copro calls, with the errors Slack gives for bad input. */
export function methodAnswers(ctx: MethodContext) {
  const { botToken, appToken, teamId, botUserId, botId, users } = ctx;
  let tsCounter = 0;
  let viewCounter = 0;

  const nextTs = () => {
    tsCounter += 1;
    return `1700000000.${String(tsCounter).padStart(6, '0')}`;
  };

  return (method: string, body: Record<string, unknown>, token: string | undefined): unknown => {
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== expected) return { ok: false, error: 'invalid_auth' };
    const needed = scopeNeeded(method, body);
    const provided = ctx.scopesOf(token);
    if (needed && !provided.includes(needed)) {
      return { ok: false, error: 'missing_scope', needed, provided: provided.join(',') };
    }
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'copro',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
        };
      case 'users.info': {
        const user = users.get(String(body.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: slackUser(user, teamId) };
      }
      case 'conversations.info': {
        const id = String(body.channel ?? '');
        if (!/^[CG]/.test(id)) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: { id, is_channel: id.startsWith('C'), creator: ctx.channelCreators[id] ?? 'UFOUNDER' },
        };
      }
      case 'conversations.open': {
        const ids = String(body.users ?? '')
          .split(',')
          .filter(Boolean);
        if (ids.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        if (ids.length > 8) return { ok: false, error: 'too_many_users' };
        const id = `${ids.length === 1 ? 'D' : 'G'}${[...ids].sort().join('').replace(/\W/g, '')}`;
        return { ok: true, channel: { id } };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update': {
        if (!body.channel) return { ok: false, error: 'channel_not_found' };
        if (method === 'chat.postEphemeral' && !body.user) return { ok: false, error: 'user_not_found' };
        if (method === 'chat.update' && !body.ts) return { ok: false, error: 'message_not_found' };
        const blocks = body.blocks as unknown[] | undefined;
        if (!body.text && !blocks?.length) return { ok: false, error: 'no_text' };
        const problems = blocks ? blockProblems(blocks, 'message') : [];
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        if (method === 'chat.postEphemeral') return { ok: true, message_ts: nextTs() };
        const ts = method === 'chat.update' ? String(body.ts) : nextTs();
        return { ok: true, channel: body.channel, ts, message: { text: body.text, blocks, ts } };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        if (method === 'views.open' || method === 'views.push') {
          if (!body.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        }
        if (method === 'views.publish' && !body.user_id) return { ok: false, error: 'user_not_found' };
        const view = body.view as Record<string, unknown> | undefined;
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        const problems = viewProblems(view);
        if (problems.length > 0)
          return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        viewCounter += 1;
        return {
          ok: true,
          view: { ...view, id: `V${String(viewCounter).padStart(6, '0')}`, hash: `${viewCounter}.hash` },
        };
      }
      case 'conversations.members': {
        // A user with no `channels` is in every channel; `channels: []` is in none.
        if (!body.channel) return { ok: false, error: 'channel_not_found' };
        const all = [...users.values()]
          .filter((u) => !u.isBot && (u.channels ?? [String(body.channel)]).includes(String(body.channel)))
          .map((u) => u.id);
        const limit = Math.max(1, Math.min(1000, Number(body.limit ?? 100)));
        const from = Number(body.cursor ?? 0);
        const next = from + limit < all.length ? String(from + limit) : '';
        return { ok: true, members: all.slice(from, from + limit), response_metadata: { next_cursor: next } };
      }
      case 'apps.connections.open':
        return { ok: true, url: ctx.socketUrl() };
      case 'files.getUploadURLExternal': {
        const filename = String(body.filename ?? '');
        const length = Number(body.length);
        if (!filename) return { ok: false, error: 'invalid_arguments' };
        if (!Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_length' };
        const id = `F${String(ctx.uploads.size + 1).padStart(6, '0')}`;
        ctx.uploads.set(id, { id, filename, length });
        return { ok: true, upload_url: ctx.uploadUrl(id), file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = body.files as { id?: string; title?: string }[] | undefined;
        if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
        const channelId = body.channel_id ? String(body.channel_id) : undefined;
        for (const f of files) {
          const upload = f.id ? ctx.uploads.get(f.id) : undefined;
          if (!upload || upload.content === undefined) return { ok: false, error: 'file_not_found' };
          if (channelId) {
            upload.shared = {
              channelId,
              ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
              ...(f.title ? { title: f.title } : {}),
            };
          }
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };
}

function slackUser(user: FakeSlackUser, teamId: string) {
  const name = user.name ?? user.id.toLowerCase();
  return {
    id: user.id,
    team_id: user.teamId ?? teamId,
    name,
    real_name: user.realName ?? name,
    tz: user.tz ?? 'Europe/London',
    is_admin: user.isAdmin ?? false,
    is_owner: user.isOwner ?? false,
    is_bot: user.isBot ?? false,
    profile: { display_name: user.displayName ?? '', real_name: user.realName ?? name },
  };
}

function viewProblems(view: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const type = view.type;
  if (type !== 'modal' && type !== 'home') problems.push('view.type must be modal or home');
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  problems.push(...blockProblems(blocks, type === 'modal' ? 'modal' : 'home'));
  if (type === 'modal') {
    for (const key of ['title', 'submit', 'close'] as const) {
      const text = (view[key] as { text?: string } | undefined)?.text;
      if (key === 'title' && !text) problems.push('view.title is required');
      if (text && text.length > 24) problems.push(`view.${key} must be at most 24 characters`);
    }
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
      problems.push('view.private_metadata must be at most 3000 characters');
    }
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
      problems.push('view.callback_id must be at most 255 characters');
    }
  }
  return problems;
}
