import { Agent, request } from 'undici';

/**
 * The fetch the Slack WebClient and Bolt's respond() are given. Every click costs two calls to
 * Slack (users.info for a new person, then the private answer through response_url), and Node's
 * own fetch spends most of a click's time on them: streams, an abort signal and a Response per
 * call. undici's request() does the same HTTP with a fraction of that, so bursts of votes keep up.
 *
 * Only what those callers send goes this way: a text body (or none) with plain headers. Anything
 * else, such as a file upload's form data, goes to the global fetch unchanged.
 */
/** Connections open at once to one Slack address (api, or the one response_urls point at). */
export const CONNECTIONS_PER_ORIGIN = 64;

export function createLeanFetch(): { readonly fetch: typeof fetch } {
  // Its idle connections do not keep the process up (undici unrefs them), so it needs no closing.
  // Bounded, so a burst of answers queues here instead of opening a connection for each.
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: CONNECTIONS_PER_ORIGIN });
  const leanFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const body = init?.body;
    const headers = init?.headers;
    const plainHeaders =
      headers === undefined ||
      (typeof headers === 'object' && !Array.isArray(headers) && !(headers instanceof Headers));
    if (
      url === undefined ||
      !/^https?:/.test(url) ||
      !(body == null || typeof body === 'string') ||
      !plainHeaders
    )
      return fetch(input, init);
    const answer = await request(url, {
      dispatcher,
      method: (init?.method ?? 'GET') as 'GET',
      headers: headers as Record<string, string> | undefined,
      body: body ?? undefined,
      signal: init?.signal ?? undefined,
    });
    // Read at once: respond() reads no answer, and a large one left unread holds its connection.
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    // Slack does not redirect these calls; should an address ever do so, fetch follows it as
    // it would have, unless the caller refused redirects (the WebClient does).
    const moved = answer.statusCode >= 300 && answer.statusCode < 400 && answer.headers.location;
    if (moved && (init?.redirect ?? 'follow') === 'follow') return fetch(input, init);
    return responseOf(url, answer.statusCode, answer.headers, bytes) as unknown as Response;
  };
  return { fetch: leanFetch };
}

type Answer = Awaited<ReturnType<typeof request>>;

/** As much of a fetch Response as the WebClient and respond() read. */
function responseOf(url: string, status: number, raw: Answer['headers'], bytes: Buffer) {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  return {
    url,
    status,
    statusText: STATUS_TEXT[status] ?? '',
    ok: status >= 200 && status < 300,
    redirected: false,
    headers: {
      get: (name: string) => headers.get(name.toLowerCase()) ?? null,
      has: (name: string) => headers.has(name.toLowerCase()),
      entries: () => headers.entries(),
      forEach: (each: (value: string, name: string) => void) => {
        for (const [name, value] of headers) each(value, name);
      },
      [Symbol.iterator]: () => headers.entries(),
    },
    text: async () => bytes.toString('utf8'),
    json: async () => JSON.parse(bytes.toString('utf8')) as unknown,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

/** The reasons Slack's answers come with, for error messages (HTTP/1.1 still sends them). */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
