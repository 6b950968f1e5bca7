import { AddressInfo, createServer, Socket } from 'node:net';

export interface SlowRedis {
  /** A REDIS_URL that reaches the real Redis through this proxy. */
  url: string;
  /** Connections to the proxy that are still open (each one a client's connection to Redis). */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy to the test Redis (REDIS_URL) that lets each new connection wait `delayMs` before its
 * first bytes reach Redis, as a Redis (or a host) under heavy load answers a new client late. The
 * connection itself is accepted at once, as the kernel does: the client sees it connected and waits
 * for its first reply.
 */
export async function startSlowRedis(delayMs: number): Promise<SlowRedis> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const clients = new Set<Socket>();
  const all = new Set<Socket>();
  const server = createServer((client) => {
    clients.add(client);
    all.add(client);
    client.pause();
    const upstream = new Socket();
    all.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      clients.delete(client);
      all.delete(client);
      all.delete(upstream);
    };
    for (const s of [client, upstream]) s.on('close', end).on('error', end);
    const timer = setTimeout(() => {
      if (client.destroyed) return;
      upstream.connect(Number(target.port || 6379), target.hostname, () => {
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    }, delayMs);
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    openConnections: () => clients.size,
    close: async () => {
      for (const s of all) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
