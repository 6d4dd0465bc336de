import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a database server that a test can break in the ways networks break:
 * - cut(): every open connection is reset and new ones are reset as they arrive, as when the
 *   database host goes away; restore() lets connections through again (old ones stay gone);
 * - delay(ms): what the app sends reaches the database `ms` later, in order, as over a slow link;
 * - watch(text, seen): calls `seen` the moment the app sends bytes containing `text` (a query, a
 *   parameter), before the database gets them, so a test can act at an exact point in the app's work.
 */
export interface DbProxy {
  readonly port: number;
  /** The database URL, pointed at the proxy instead. */
  urlFor(databaseUrl: string): string;
  cut(): void;
  restore(): void;
  delay(ms: number): void;
  watch(text: string, seen: () => void): void;
  /** Connections made through the proxy so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startDbProxy(targetHost: string, targetPort: number): Promise<DbProxy> {
  let down = false;
  let delayMs = 0;
  let connections = 0;
  const watches: { text: string; seen: () => void }[] = [];
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    connections++;
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    // Bytes already sent are delivered after the delay, in the order they were sent.
    let lastDue = 0;
    // The end of the previous chunk, so that a watched text split across two chunks is still seen.
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      tail = text.slice(-200);
      for (const w of watches.splice(0)) {
        if (text.includes(w.text)) w.seen();
        else watches.push(w);
      }
      if (delayMs === 0 && lastDue <= Date.now()) {
        upstream.write(chunk);
        return;
      }
      lastDue = Math.max(lastDue, Date.now() + delayMs);
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, lastDue - Date.now());
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.resetAndDestroy();
    };
    client.on('close', end);
    client.on('error', end);
    upstream.on('close', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');
  const port = address.port;

  return {
    port,
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut() {
      down = true;
      for (const socket of [...open]) socket.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    delay(ms) {
      delayMs = ms;
    },
    watch(text, seen) {
      watches.push({ text, seen });
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of open) socket.destroy();
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
