import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';

/**
 * The IMAP server the mailbox tests use: `TEST_IMAP_URL` (from `.ci/dovecot.sh`). Without it the
 * tests are skipped on a developer machine but fail in CI, so a green CI run means they ran.
 */
export function testImapUrl(): string | undefined {
  const url = process.env.TEST_IMAP_URL;
  if (url) return url;
  if (process.env.CI) throw new Error('CI is set but TEST_IMAP_URL is not: the IMAP poller tests would be skipped. Run .ci/dovecot.sh and export the URL it prints.');
  return undefined;
}

/** A mailbox of its own on the test server, so tests running at once never see each other's mail. */
export async function freshMailbox(baseUrl: string): Promise<{ url: string; name: string; client: ImapFlow; count(path: string): Promise<number>; close(): Promise<void> }> {
  const u = new URL(baseUrl);
  const client = new ImapFlow({ host: u.hostname, port: Number(u.port), secure: u.protocol === 'imaps:', doSTARTTLS: false, auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }, logger: false });
  await client.connect();
  const name = `T${randomBytes(5).toString('hex')}`;
  await client.mailboxCreate(name);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    client,
    count: async (path) => {
      // A folder that does not exist (yet) holds nothing.
      const s = await client.status(path, { messages: true }).catch(() => false as const);
      return s ? (s.messages ?? 0) : 0;
    },
    close: async () => {
      for (const m of await client.list()) if (m.path.startsWith(name)) await client.mailboxDelete(m.path).catch(() => undefined);
      await client.logout();
    },
  };
}
