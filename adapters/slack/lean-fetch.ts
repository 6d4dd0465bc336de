import { STATUS_CODES } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request } from 'undici';

/** Connections open at once to one Slack address (api, or the one response_urls point at). */
export const CONNECTIONS_PER_ORIGIN = 64;
/** The largest answer read, decoded: Slack's are kilobytes; past this one is cut off unread. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** How long an answer's body may take to arrive once its headers have (as the WebClient waits). */
export const ANSWER_READ_MS = 10_000;
/** As fetch: at most this many redirects in a row. */
const MAX_REDIRECTS = 20;

/**
 * The fetch the Slack WebClient and Bolt's respond() are given. Every click costs two calls to
 * Slack (users.info for a new person, then the private answer through response_url), and Node's
 * own fetch spends most of a click's time on them: streams, an abort signal and a Response per
 * call. undici's request() does the same HTTP with a fraction of that, so bursts of votes keep up.
 *
 * Only what those callers send goes this way: a text body (or none) with plain headers. Anything
 * else, such as a file upload's form data, goes to the global fetch unchanged.
 */
export function createLeanFetch(options: { readonly answerReadMs?: number } = {}): {
  readonly fetch: typeof fetch;
} {
  const readWithinMs = options.answerReadMs ?? ANSWER_READ_MS;
  // Its idle connections do not keep the process up (undici unrefs them), so it needs no closing.
  // Bounded, so a burst of answers queues here instead of opening a connection for each.
  // No answer's headers are waited for longer than its body may take (undici's own is 5 minutes),
  // so a call given no signal of its own still ends.
  const dispatcher = new Agent({
    keepAliveTimeout: 10_000,
    connections: CONNECTIONS_PER_ORIGIN,
    headersTimeout: readWithinMs,
  });

  async function send(url: string, init: RequestInit | undefined, hops: number): Promise<Response> {
    const answer = await request(url, {
      dispatcher,
      method: (init?.method ?? 'GET') as 'GET',
      headers: init?.headers as Record<string, string> | undefined,
      body: (init?.body as string | null | undefined) ?? undefined,
      signal: init?.signal ?? undefined,
    });
    const { statusCode: status, headers } = answer;
    const location = typeof headers.location === 'string' ? headers.location : undefined;
    const mode = init?.redirect ?? 'follow';
    if (status >= 300 && status < 400 && location && mode !== 'manual') {
      await answer.body.dump().catch(() => {});
      // As fetch: the WebClient refuses redirects, and a refused one is a network error.
      if (mode === 'error' || hops >= MAX_REDIRECTS)
        throw new TypeError(`fetch failed: ${new URL(url).host} answered with a redirect`);
      // As fetch: 303, and 301 or 302 after a POST, become a GET without the body.
      const toGet = status === 303 || ((status === 301 || status === 302) && init?.method === 'POST');
      const next = toGet ? { ...init, method: 'GET', body: undefined } : init;
      return send(new URL(location, url).href, next, hops + 1);
    }
    // Read at once, in the background: respond() reads no answer, and one left unread would hold
    // its connection. A slow, huge or endless answer is cut off and only fails when read.
    return responseOf(
      url,
      status,
      headers,
      readAnswer(answer.body, headers, readWithinMs),
    ) as unknown as Response;
  }

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
    return send(url, init, 0);
  };
  return { fetch: leanFetch };
}

type Answer = Awaited<ReturnType<typeof request>>;

/** As much of a fetch Response as the WebClient and respond() read. */
function responseOf(url: string, status: number, raw: Answer['headers'], reading: Promise<Buffer | Error>) {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  return {
    url,
    status,
    statusText: STATUS_CODES[status] ?? '',
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
    text: async () => (await bytesOf(reading)).toString('utf8'),
    json: async () => JSON.parse((await bytesOf(reading)).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const bytes = await bytesOf(reading);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
}

async function bytesOf(reading: Promise<Buffer | Error>): Promise<Buffer> {
  const read = await reading;
  if (read instanceof Error) throw read;
  return read;
}

/**
 * The whole answer, decoded as fetch decodes it (gzip, deflate, br: copro asks for none, but a
 * proxy may send one), or why it could not be had. Never rejects: nobody may be waiting.
 */
async function readAnswer(
  body: Answer['body'],
  headers: Answer['headers'],
  withinMs: number,
): Promise<Buffer | Error> {
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(
    () => body.destroy(new Error(`the answer took longer than ${withinMs / 1000} seconds to arrive`)),
    withinMs,
  );
  try {
    // An answer that says its length, within bounds (Slack's do), is read whole in one go: reading
    // it chunk by chunk cost a burst of votes more than the request did.
    const length = Number(headers['content-length']);
    if (Number.isInteger(length) && length >= 0 && length <= MAX_ANSWER_BYTES)
      return decode(Buffer.from(await body.arrayBuffer()), headers['content-encoding']);
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        body.destroy();
        return new Error(`the answer was larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB`);
      }
      chunks.push(chunk);
    }
    return decode(Buffer.concat(chunks), headers['content-encoding']);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function decode(bytes: Buffer, encoding: string | string[] | undefined): Buffer {
  const limit = { maxOutputLength: MAX_ANSWER_BYTES };
  const codings = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  let out = bytes;
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') out = gunzipSync(out, limit);
    else if (coding === 'deflate') out = inflateSync(out, limit);
    else if (coding === 'br') out = brotliDecompressSync(out, limit);
    else throw new Error(`the answer came in an encoding copro cannot read (${coding})`);
  }
  return out;
}
