import type { Mailer, OutgoingMessage, SendReceipt } from '../../src/deliver/mailer.js';
import { SmtpFailure } from '../../src/deliver/smtp-failure.js';

/** A Mailer that keeps messages in memory; can be told to fail, to test that pages never reveal it. */
export interface CaptureMailer extends Mailer {
  sent: OutgoingMessage[];
  /** Messages to one address. */
  to(address: string): OutgoingMessage[];
  /** While true, every send throws a transient SMTP failure. */
  failing: boolean;
}

/** Creates an in-memory mailer for HTTP-level tests. */
export function createCaptureMailer(): CaptureMailer {
  const sent: OutgoingMessage[] = [];
  let n = 0;
  const mailer: CaptureMailer = {
    kind: 'smtp',
    sent,
    failing: false,
    describe: () => 'in-memory capture',
    verify: async () => {},
    to: (address) => sent.filter((m) => m.to.address.toLowerCase() === address.toLowerCase()),
    send: async (message): Promise<SendReceipt> => {
      if (mailer.failing) throw new SmtpFailure('transient', 'capture mailer told to fail', 451);
      sent.push(message);
      return { messageId: `<capture-${++n}@test>`, response: '250 OK' };
    },
    close: async () => {},
  };
  return mailer;
}
