import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message the sink accepted: the raw bytes, the envelope and the parsed form. */
export interface ReceivedMail {
  raw: Buffer;
  from: string;
  to: string[];
  parsed: ParsedMail;
  /** Raw header lines, e.g. `List-Unsubscribe: <…>` (mailparser folds all List-* under one key). */
  headerLine(name: string): string | undefined;
}

/** How the sink answers RCPT TO for one address, per attempt: 'accept', or an SMTP reply code. */
export type RecipientRule = (address: string, attempt: number) => 'accept' | { code: number; message: string };

/** Options for {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  /** Decides RCPT replies; default accepts everyone. */
  recipients?: RecipientRule;
  /** Delay before accepting each message's data, to keep a sender busy mid-run. */
  dataDelayMs?: number;
  /** Misbehaviour hooks (see misbehaving-smtp.ts); each is asked once per occasion. */
  faults?: SinkFaults;
}

/** What the server does at each point where a real relay can misbehave. */
export interface SinkFaults {
  /** On connect: a reply (e.g. 421) to refuse the session with, or nothing to greet normally. */
  greeting?: () => { code: number; message: string } | undefined;
  /** On MAIL FROM: 'reset' drops the connection before any DATA. */
  mailFrom?: () => 'reset' | undefined;
  /**
   * After a message was received and saved: 'close' drops the connection without a reply,
   * 'silence' never replies, a number replies 250 after that many milliseconds.
   */
  afterSave?: () => 'close' | 'silence' | number | undefined;
}

/** A real SMTP server on 127.0.0.1 with an ephemeral port, collecting what it is sent. */
export interface SmtpSink {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** Messages addressed to `address` (envelope recipient). */
  to(address: string): ReceivedMail[];
  /** Resolves once `predicate` holds over the collected messages, or rejects after `timeoutMs`. */
  waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  /** RCPT attempts seen per address, including refused ones. */
  attempts: Map<string, number>;
  /** Connection errors (e.g. a killed sender's reset), collected rather than thrown. */
  connectionErrors: Error[];
  close(): Promise<void>;
}

/** Starts a sink that speaks real SMTP, so tests exercise nodemailer's real wire behaviour. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      const refuse = options.faults?.greeting?.();
      if (!refuse) return callback();
      return callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
    },
    onMailFrom(_address, session, callback) {
      if (options.faults?.mailFrom?.() === 'reset') return socketOf(session.id)?.destroy();
      return callback();
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const addr = address.address.toLowerCase();
      const n = (attempts.get(addr) ?? 0) + 1;
      attempts.set(addr, n);
      const verdict = options.recipients?.(addr, n) ?? 'accept';
      if (verdict === 'accept') return callback();
      const err = Object.assign(new Error(verdict.message), { responseCode: verdict.code });
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const finish = async () => {
          const parsed = await simpleParser(raw);
          const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
          const lines = head.split(/\r?\n/);
          messages.push({
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            parsed,
            headerLine: (name) => lines.find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':')),
          });
          for (const w of waiters) w();
          const fault = options.faults?.afterSave?.();
          if (fault === 'close') return socketOf(session.id)?.destroy();
          if (fault === 'silence') return;
          if (typeof fault === 'number') return void setTimeout(() => callback(), fault).unref();
          callback();
        };
        if (options.dataDelayMs) setTimeout(() => void finish(), options.dataDelayMs);
        else void finish();
      });
    },
  });
  // smtp-server keeps its open sessions here; faults need the socket to drop a connection.
  const open = () => [...(server as unknown as { connections: Set<{ session?: { id: string }; _socket: { destroy(): void } }> }).connections];
  const socketOf = (sessionId: string) => open().find((c) => c.session?.id === sessionId)?._socket;
  // Tests kill senders mid-message on purpose; a reset connection is expected, not a failure.
  const connectionErrors: Error[] = [];
  server.on('error', (err: Error) => connectionErrors.push(err));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    attempts,
    connectionErrors,
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(messages)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp sink: condition not met within ${timeoutMs} ms (${messages.length} messages received)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // A silent fault leaves sessions open; end them rather than wait out smtp-server's 30 s.
        for (const c of open()) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}
