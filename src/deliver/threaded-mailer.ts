import { Worker } from 'node:worker_threads';
import { ownMemory, workerClient, type WorkerClient } from '../worker-client.js';
import { workerEntry } from '../worker-entry.js';
import type { Mailer } from './mailer.js';
import { loadDkimKeys } from './mime/dkim-signer.js';
import { createEncodedSending, type RawDelivery } from './mime/encoded-sending.js';
import { describeSmtp, type SmtpOptions } from './nodemailer-mailer.js';
import { errorFromWire, SmtpFailure } from './smtp-failure.js';
import type { SmtpReply, SmtpRequest, SmtpResult } from './smtp-worker.js';

/**
 * The SMTP mailer the app uses: nodemailer's pool runs in a worker thread, so its CPU (about
 * 0.5 ms a message) runs beside the sending thread's planning, splicing and ledger instead of
 * taking turns with them. The ledger's order is unchanged: a message is posted to the thread only
 * after its claim is committed, and `sent` is recorded only after the thread reports the reply.
 */

/**
 * Heap limits of the SMTP thread. It holds nodemailer (a few MB) and the messages in flight,
 * one per pooled connection plus those queued behind them (tens of KB each).
 */
export const SMTP_WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

type Call = SmtpRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Why a call ended when its thread stopped: never "not sent" for a message that may have gone out. */
function threadLost(op: Call['op'], started: boolean, cause: Error | undefined): SmtpFailure | null {
  const why = cause ? `: ${cause.message}` : '';
  if (op === 'close') return null;
  if (op === 'verify' || !started) return new SmtpFailure('fatal', `the SMTP thread stopped before it could send${why}`, undefined, cause);
  return new SmtpFailure('uncertain', `the SMTP thread stopped with the message in flight${why}`, undefined, cause);
}

/** The SMTP thread: a {@link workerClient} whose calls a lost thread ends as {@link threadLost} says. */
function smtpThread(options: SmtpOptions, entry: URL): WorkerClient<Call, SmtpResult, Call['op']> {
  // Set by the thread's `ready` message, which comes before it starts any request.
  let ready = false;
  return workerClient<Call, SmtpResult, Call['op']>(
    () => {
      ready = false;
      return new Worker(entry, { workerData: options, resourceLimits: SMTP_WORKER_LIMITS, env: process.env });
    },
    {
      reply(message) {
        const reply = message as SmtpReply;
        if ('ready' in reply) return void (ready = true);
        return 'ok' in reply ? reply : { id: reply.id, error: errorFromWire(reply.error) };
      },
      lost(op, cause) {
        const failure = threadLost(op, ready, cause);
        return failure ? { error: failure } : { ok: null };
      },
    },
  );
}

/** A pooled SMTP {@link Mailer} whose client runs in its own thread; the same behaviour as {@link import('./nodemailer-mailer.js').createSmtpMailer}. */
export async function createThreadedSmtpMailer(
  options: SmtpOptions,
  /** The thread's module; tests start ones that fail. */
  entry: URL = workerEntry(import.meta.url, 'smtp-worker'),
): Promise<Mailer> {
  const keys = await loadDkimKeys(options.dkim);
  const thread = smtpThread(options, entry);
  // A call's tag is its op: how a lost thread ends it depends on what it was.
  const call = (req: Call, transfer: ArrayBuffer[] = []) => thread.call(req, req.op, transfer);
  const receipt = (r: SmtpResult) => r!;
  // Sealed bytes were made for their one send and are moved; a caller's own buffer is copied.
  const deliver: RawDelivery = (raw, envelope, messageId, owned) => call({ op: 'raw', raw, envelope, messageId }, owned ? ownMemory(raw) : []).then(receipt);
  return {
    kind: 'smtp',
    describe: () => describeSmtp(options),
    verify: async () => void (await call({ op: 'verify' })),
    send: (message) => call({ op: 'send', message }).then(receipt),
    encoded: createEncodedSending(options, keys, deliver),
    close: () => thread.close(() => call({ op: 'close' })),
  };
}
