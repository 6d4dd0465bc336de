import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a database server that a test can make hang: while hung, it accepts
 * connections and reads what is sent but passes nothing on in either direction, as a network
 * that drops packets would. Released, it delivers what it held and carries on.
 */
export interface HangingProxy {
  readonly port: number;
  hang(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startHangingProxy(targetHost: string, targetPort: number): Promise<HangingProxy> {
  let hung = false;
  const pairs = new Set<{ client: Socket; server: Socket }>();
  const held: (() => void)[] = [];

  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (hung) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    const pair = { client, server: upstream };
    pairs.add(pair);
    pipe(client, upstream);
    pipe(upstream, client);
    client.on('close', () => pairs.delete(pair));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');

  return {
    port: address.port,
    hang: () => {
      hung = true;
    },
    release: () => {
      hung = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const { client, server: upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
