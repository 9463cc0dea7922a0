import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST the receiver got, with whether its Standard Webhooks signature checked out. */
export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  verified: boolean;
  /** The parsed payload when the signature verified. */
  event?: { type: string; timestamp: string; data: Record<string, any> };
}

/**
 * A local HTTP endpoint (port 0) that verifies each request with the standardwebhooks package,
 * as a real receiver would, and answers with the status `answer(n)` gives for the n-th request.
 */
export async function startWebhookReceiver(secret: string, answer: (n: number) => number = () => 200) {
  const received: ReceivedHook[] = [];
  let verifier = new Webhook(secret);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let event: ReceivedHook['event'];
      try {
        event = verifier.verify(body, headers) as ReceivedHook['event'];
      } catch {
        event = undefined;
      }
      received.push({ headers, body, verified: event !== undefined, ...(event ? { event } : {}) });
      res.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Verifies from now on with `next` (for a secret the app generated after the receiver started). */
    useSecret(next: string): void {
      verifier = new Webhook(next);
    },
    /** Resolves once `n` requests arrived, or rejects after `timeoutMs`. */
    async waitFor(n: number, timeoutMs = 5000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} webhook requests, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
