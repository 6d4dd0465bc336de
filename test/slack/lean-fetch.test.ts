import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanFetch } from '../../adapters/slack/lean-fetch.js';

interface Seen {
  readonly method: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

describe('the fetch given to the Slack WebClient and to respond()', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const { fetch: leanFetch } = createLeanFetch();

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({
        method: req.method,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url === '/zipped') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.end(gzipSync('{"ok":true,"user":{"id":"U1"}}'));
        return;
      }
      if (req.url === '/endless') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        more();
        return;
      }
      if (req.url === '/trickle') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"ok":');
        return;
      }
      if (req.url === '/moved') {
        res.writeHead(307, { Location: '/respond/moved-here' });
        res.end();
        return;
      }
      if (req.url === '/busy') {
        res.writeHead(429, { 'Retry-After': '7', 'Content-Type': 'application/json' });
        res.end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-OAuth-Scopes': 'chat:write,users:read' });
      res.end(JSON.stringify({ ok: true, echoed: Buffer.concat(chunks).toString('utf8') }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends the method, headers and body, and answers with the status, headers and body', async () => {
    const answer = await leanFetch(`${base}/api/users.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user=U1',
    });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get('x-oauth-scopes')).toBe('chat:write,users:read');
    expect(await answer.json()).toEqual({ ok: true, echoed: 'user=U1' });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: 'user=U1',
    });
  });

  it("passes on a refusal with Slack's Retry-After, for the caller to honour", async () => {
    const answer = await leanFetch(`${base}/busy`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(429);
    expect(answer.ok).toBe(false);
    expect(answer.statusText).toBe('Too Many Requests');
    expect(answer.headers.get('Retry-After')).toBe('7');
    expect(Object.fromEntries(answer.headers.entries())).toMatchObject({ 'retry-after': '7' });
    expect(await answer.text()).toBe('{"ok":false,"error":"ratelimited"}');
  });

  it('follows a redirect as fetch does, sending to each address once, unless told not to', async () => {
    const before = seen.length;
    const followed = await leanFetch(`${base}/moved`, { method: 'POST', body: '{"text":"Thanks"}' });
    expect(followed.status).toBe(200);
    expect(await followed.json()).toEqual({ ok: true, echoed: '{"text":"Thanks"}' });
    expect(seen.length - before).toBe(2);
    // The WebClient refuses redirects; fetch then fails as for a network error, and so does this.
    await expect(
      leanFetch(`${base}/moved`, { method: 'POST', body: 'user=U1', redirect: 'error' }),
    ).rejects.toThrow(/redirect/);
  });

  it('decodes a compressed answer, as fetch does', async () => {
    const answer = await leanFetch(`${base}/zipped`, { method: 'POST', body: 'user=U1' });
    expect(await answer.json()).toEqual({ ok: true, user: { id: 'U1' } });
  });

  it('answers at once with the status of an endless answer, and cuts its body off', async () => {
    const answer = await leanFetch(`${base}/endless`, { method: 'POST', body: '{"text":"Thanks"}' });
    expect(answer.ok).toBe(true);
    const rssBefore = process.memoryUsage().rss;
    await expect(answer.text()).rejects.toThrow(/larger than 8 MB/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('gives up on an answer whose body stops arriving', async () => {
    const { fetch: impatient } = createLeanFetch({ answerReadMs: 300 });
    const started = Date.now();
    const answer = await impatient(`${base}/trickle`, { method: 'POST', body: '{"text":"Thanks"}' });
    expect(answer.ok).toBe(true);
    await expect(answer.text()).rejects.toThrow(/longer than 0.3 seconds/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails, as fetch does, when nothing answers at the address', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    await expect(
      leanFetch(`http://127.0.0.1:${port}/api/users.info`, { method: 'POST', body: 'user=U1' }),
    ).rejects.toThrow();
  });

  it('gives up when its signal says so, as the WebClient asks after 10 seconds', async () => {
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        leanFetch(`http://127.0.0.1:${port}/api/users.info`, {
          method: 'POST',
          body: 'user=U1',
          signal: AbortSignal.timeout(200),
        }),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('sends a file upload (form data) as multipart, as fetch does', async () => {
    const form = new FormData();
    form.append('file', new Blob(['minutes']), 'minutes.txt');
    const answer = await leanFetch(`${base}/upload`, { method: 'POST', body: form });
    expect(answer.status).toBe(200);
    const last = seen.at(-1);
    expect(last?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(last?.body).toContain('minutes');
  });
});
