import { parentPort, workerData } from 'node:worker_threads';
import type { OutgoingMessage, SendReceipt } from './mailer.js';
import type { Envelope } from './mime/encoded-sending.js';
import { createSmtpMailer, type SmtpOptions } from './nodemailer-mailer.js';
import { errorToWire, type WireError } from './smtp-failure.js';

/**
 * The SMTP thread's side: nodemailer's pooled client, with its connections, TLS, AUTH, stage
 * tracking and error classification, exactly as in-process ({@link createSmtpMailer}). Only its
 * CPU moves here: writing, dot-stuffing and parsing replies cost the sending thread about
 * 0.5 ms a message, a third of its time, while it also plans, splices and keeps the ledger.
 */

/** A request to the SMTP thread. `raw` arrives as a Uint8Array (structured clone drops Buffer). */
export type SmtpRequest = { id: number } & (
  | { op: 'verify' }
  | { op: 'send'; message: OutgoingMessage }
  | { op: 'raw'; raw: Uint8Array; envelope: Envelope; messageId: string }
  | { op: 'close' }
);

/** What a request returns: a receipt for a send, else null. */
export type SmtpResult = SendReceipt | null;

/** The thread's answer. `ready` is posted once, when the mailer exists: requests before it were never started. */
export type SmtpReply = { ready: true } | { id: number; ok: SmtpResult } | { id: number; error: WireError };

const port = parentPort!;
const options = workerData as SmtpOptions;
// `ready` goes out before any request is started (every request waits for this promise), so the
// sender never takes a thread that dies after it began sending for one that never started.
const started = (async () => {
  // No DKIM keys for the spliced path: digests arrive sealed (signed) by the sending thread.
  const mailer = await createSmtpMailer(options, []);
  port.postMessage({ ready: true } satisfies SmtpReply);
  return mailer;
})();

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

async function handle(req: SmtpRequest): Promise<SmtpResult> {
  const m = await started;
  switch (req.op) {
    case 'verify':
      return m.verify().then(() => null);
    case 'send':
      return m.send(req.message);
    case 'raw':
      return m.encoded!.sendRaw(asBuffer(req.raw), req.envelope, req.messageId);
    case 'close':
      return m.close().then(() => null);
  }
}

port.on('message', (req: SmtpRequest) => {
  handle(req).then(
    (ok) => port.postMessage({ id: req.id, ok } satisfies SmtpReply),
    (err: unknown) => port.postMessage({ id: req.id, error: errorToWire(err) } satisfies SmtpReply),
  );
});
