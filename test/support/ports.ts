import { createServer } from 'node:net';

/**
 * A TCP port on loopback that was free a moment ago: for a listener a test starts itself, or for a
 * closed port that nothing answers on.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
