import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';

/**
 * Sends requests to a Slack app exactly as Slack does: slash commands form-encoded, interactivity
 * as one form-encoded `payload` field holding JSON, Events API as JSON, each signed with the
 * signing secret (`v0=` HMAC-SHA256 of `v0:timestamp:body`).
 *
 *   const slack = slackDriver({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret, responseUrl });
 *   const res = await slack.command('help', { userId: 'U1', channelId: 'C1' });
 */

export interface DriverOptions {
  /** The app's events URL, e.g. http://127.0.0.1:PORT/slack/events */
  readonly url: string;
  readonly signingSecret: string;
  readonly teamId?: string;
  /** Makes a response_url for each command or click (point it at the fake Slack). */
  readonly responseUrl?: (id: string) => string;
}

export interface SignOptions {
  /** Seconds since the epoch to sign with (default now); an old one makes a stale request. */
  readonly timestamp?: number;
  /** Sign with a different secret (a forged request). */
  readonly secret?: string;
  /** Leave out the signature and timestamp headers. */
  readonly unsigned?: boolean;
  /** X-Slack-Retry-Num, as Slack sends on a redelivery. */
  readonly retryNum?: number;
}

export interface DriverResponse {
  readonly status: number;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

export interface CommandOptions extends SignOptions {
  readonly userId: string;
  readonly userName?: string;
  readonly channelId?: string;
  readonly channelName?: string;
  readonly command?: string;
  readonly triggerId?: string;
}

export interface User {
  readonly id: string;
  readonly name?: string;
}

export interface ClickOptions extends SignOptions {
  readonly user: User;
  readonly actionId: string;
  readonly value?: string;
  readonly selected?: string;
  readonly channelId?: string;
  readonly messageTs?: string;
  readonly actionTs?: string;
  readonly ephemeral?: boolean;
  /** The button sits on the App Home rather than in a message. */
  readonly onHome?: boolean;
}

export function slackDriver(options: DriverOptions) {
  const teamId = options.teamId ?? 'T0FAKE';
  const responseUrl = (id: string) => options.responseUrl?.(id) ?? `http://127.0.0.1:9/respond/${id}`;

  function sign(body: string, sign: SignOptions): Record<string, string> {
    if (sign.unsigned) return {};
    const ts = String(sign.timestamp ?? Math.floor(Date.now() / 1000));
    const mac = createHmac('sha256', sign.secret ?? options.signingSecret)
      .update(`v0:${ts}:${body}`)
      .digest('hex');
    return { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': `v0=${mac}` };
  }

  /** Send a raw body with a content type, signed unless told otherwise. */
  async function send(
    body: string,
    contentType: string,
    signOptions: SignOptions = {},
  ): Promise<DriverResponse> {
    const headers: Record<string, string> = { 'Content-Type': contentType, ...sign(body, signOptions) };
    if (signOptions.retryNum !== undefined) {
      headers['X-Slack-Retry-Num'] = String(signOptions.retryNum);
      headers['X-Slack-Retry-Reason'] = 'http_timeout';
    }
    const res = await post(options.url, headers, body);
    const text = res.text;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  /** Form-encoded, with the exact content type Slack uses (no charset: Bolt refuses one). */
  const form = (fields: Record<string, string>, signOptions?: SignOptions) =>
    send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', signOptions);

  const interactive = (payload: Record<string, unknown>, signOptions?: SignOptions) =>
    form({ payload: JSON.stringify(payload) }, signOptions);

  /** A person as Slack names them in an interaction payload. */
  const slackUser = (user: User) => ({
    id: user.id,
    username: user.name ?? user.id,
    name: user.name ?? user.id,
    team_id: teamId,
  });

  function clickPayload(o: ClickOptions): { payload: Record<string, unknown>; responseId: string } {
    const responseId = `act-${randomUUID()}`;
    const channelId = o.channelId ?? 'C0HOME';
    const messageTs = o.messageTs ?? '1700000000.000001';
    // A button on the App Home has no channel, message or response_url, as with Slack.
    const where = o.onHome
      ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home' } }
      : {
          container: {
            type: 'message',
            message_ts: messageTs,
            channel_id: channelId,
            is_ephemeral: o.ephemeral ?? false,
          },
          channel: { id: channelId, name: 'coproduction' },
          message: { type: 'message', ts: messageTs, text: 'a message' },
          response_url: responseUrl(responseId),
        };
    const payload = {
      type: 'block_actions',
      user: slackUser(o.user),
      api_app_id: 'A0COPRO',
      token: 'legacy-verification-token',
      trigger_id: `trig-${randomUUID()}`,
      team: { id: teamId, domain: 'fake' },
      ...where,
      actions: [
        {
          type: o.selected !== undefined ? 'static_select' : 'button',
          action_id: o.actionId,
          block_id: 'b1',
          ...(o.selected !== undefined
            ? { selected_option: { text: { type: 'plain_text', text: o.selected }, value: o.selected } }
            : { value: o.value ?? '', text: { type: 'plain_text', text: 'Button' } }),
          action_ts: o.actionTs ?? `${Date.now() / 1000}`,
        },
      ],
    };
    return { payload, responseId };
  }

  return {
    send,
    /** `/copro <text>` typed by a person. Returns the trigger id and response_url id it used. */
    async command(text: string, o: CommandOptions) {
      const triggerId = o.triggerId ?? `trig-${randomUUID()}`;
      const responseId = `cmd-${randomUUID()}`;
      const channelId = o.channelId ?? 'C0HOME';
      const response = await form(
        {
          token: 'legacy-verification-token',
          team_id: teamId,
          team_domain: 'fake',
          channel_id: channelId,
          channel_name: o.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'coproduction'),
          user_id: o.userId,
          user_name: o.userName ?? o.userId.toLowerCase(),
          command: o.command ?? '/copro',
          text,
          api_app_id: 'A0COPRO',
          is_enterprise_install: 'false',
          response_url: responseUrl(responseId),
          trigger_id: triggerId,
        },
        o,
      );
      return { response, triggerId, responseId };
    },

    /** A click on a button (or a choice in a select) in a message. */
    async click(o: ClickOptions) {
      const { payload, responseId } = clickPayload(o);
      const response = await interactive(payload, o);
      return { response, responseId };
    },

    /**
     * The same click as a signed request, built but not sent: for a load generator in another
     * process (autocannon) that sends thousands of them.
     */
    signedClick(o: ClickOptions): { body: string; headers: Record<string, string>; responseId: string } {
      const { payload, responseId } = clickPayload(o);
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return {
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...sign(body, o) },
        responseId,
      };
    },

    /** A modal submitted: `values` by field id, written the way Slack's view.state reports them. */
    async submit(
      o: SignOptions & {
        user: User;
        callbackId: string;
        privateMetadata?: string;
        viewId?: string;
        values: Record<string, { type: string; value?: string | null; selected?: string | string[] | null }>;
      },
    ) {
      const state: Record<string, Record<string, unknown>> = {};
      for (const [id, v] of Object.entries(o.values)) {
        const entry: Record<string, unknown> = { type: v.type };
        if (v.type === 'plain_text_input') entry.value = v.value ?? null;
        else if (Array.isArray(v.selected)) entry.selected_options = v.selected.map((s) => ({ value: s }));
        else entry.selected_option = v.selected ? { value: v.selected } : null;
        state[id] = { [id]: entry };
      }
      return interactive(
        {
          type: 'view_submission',
          team: { id: teamId, domain: 'fake' },
          user: slackUser(o.user),
          api_app_id: 'A0COPRO',
          token: 'legacy-verification-token',
          trigger_id: `trig-${randomUUID()}`,
          view: {
            id: o.viewId ?? 'V0FORM',
            team_id: teamId,
            type: 'modal',
            callback_id: o.callbackId,
            private_metadata: o.privateMetadata ?? '',
            hash: '1.hash',
            state: { values: state },
          },
          response_urls: [],
        },
        o,
      );
    },

    /** An Events API delivery. The same eventId with retryNum is how Slack redelivers. */
    event(event: Record<string, unknown>, o: SignOptions & { eventId?: string } = {}) {
      const body = {
        token: 'legacy-verification-token',
        team_id: teamId,
        api_app_id: 'A0COPRO',
        event: { event_ts: `${Date.now() / 1000}`, ...event },
        type: 'event_callback',
        event_id: o.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: teamId, user_id: 'UBOT', is_bot: true }],
      };
      return send(JSON.stringify(body), 'application/json', o);
    },

    /** Slack's check that the Request URL belongs to the app. */
    urlVerification(challenge: string, o: SignOptions = {}) {
      return send(
        JSON.stringify({ token: 'legacy', challenge, type: 'url_verification' }),
        'application/json',
        o,
      );
    },
  };
}

export type SlackDriver = ReturnType<typeof slackDriver>;

/**
 * One POST on a fresh connection. fetch keeps connections alive between requests, and on a busy
 * machine it can reuse one that the server is just closing (ECONNRESET); Slack's own requests
 * are separate connections too.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
