import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1. For servers whose own config must name
 * their address before they listen (PUBLIC_URL); the tiny race is acceptable in tests.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
