/**
 * The benchmark's SMTP sink, run as a separate process so its CPU is not charged to the sender:
 * a real smtp-server on 127.0.0.1 that accepts every message, discards the body and counts it.
 *
 * `--latency-ms N` (default 0) holds each message N ms after its body has arrived before answering
 * 250, like a remote relay: a sender with C connections then cannot exceed C × 1000 / N msg/s.
 * Connections are independent, so messages on different connections wait concurrently.
 *
 * It also counts per recipient, so a run can prove that no reader got two messages, and records
 * when the first message started (MAIL FROM) and the last one was accepted (wall clock, epoch ms).
 *
 * Protocol over the IPC channel: it sends `{ type: 'ready', port }` once listening, answers
 * `{ type: 'count' }` with the counters, zeroes them on `{ type: 'reset' }` (answered with the
 * zeroed counters), and exits on `{ type: 'stop' }`.
 */
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';

/** The sink's counters since it started or was last reset. */
export interface SinkCounters {
  count: number;
  bytes: number;
  /** Distinct recipient addresses among the accepted messages. */
  recipients: number;
  /** Accepted messages to a recipient that had already been counted. */
  duplicates: number;
  /** Epoch ms (sub-ms precision) when the first counted message's MAIL FROM arrived; null before any. */
  firstStartedAt: number | null;
  /** Epoch ms when the last message was accepted (250 sent). */
  lastAcceptedAt: number | null;
}

/** A message from the sink to its parent. */
export type SinkReply = { type: 'ready'; port: number; latencyMs: number } | ({ type: 'count' } & SinkCounters);

/** A message from the parent to the sink. */
export type SinkRequest = { type: 'count' } | { type: 'reset' } | { type: 'stop' };

const { values } = parseArgs({ options: { 'latency-ms': { type: 'string', default: '0' } } });
const latencyMs = Number(values['latency-ms']);
if (!(latencyMs >= 0)) throw new Error(`--latency-ms must be a number >= 0 (got ${values['latency-ms']})`);

const epochMs = () => performance.timeOrigin + performance.now();
let counters: SinkCounters;
let seen: Set<string>;
function reset(): void {
  counters = { count: 0, bytes: 0, recipients: 0, duplicates: 0, firstStartedAt: null, lastAcceptedAt: null };
  seen = new Set();
}
reset();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onMailFrom(_address, _session, callback) {
    counters.firstStartedAt ??= epochMs();
    callback();
  },
  onData(stream, session, callback) {
    stream.on('data', (chunk: Buffer) => {
      counters.bytes += chunk.length;
    });
    stream.on('end', () => {
      const accept = () => {
        counters.count++;
        for (const rcpt of session.envelope.rcptTo) {
          const address = rcpt.address.toLowerCase();
          if (seen.has(address)) counters.duplicates++;
          else seen.add(address);
        }
        counters.recipients = seen.size;
        counters.lastAcceptedAt = epochMs();
        callback();
      };
      if (latencyMs > 0) setTimeout(accept, latencyMs);
      else accept();
    });
  },
});

const send = (reply: SinkReply) => process.send?.(reply);

process.on('message', (msg: SinkRequest) => {
  if (msg.type === 'reset') reset();
  if (msg.type === 'count' || msg.type === 'reset') send({ type: 'count', ...counters });
  if (msg.type === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => server.close(() => process.exit(0)));

// A sender stopped mid-message resets its connection; the sink keeps counting the others.
server.on('error', () => undefined);
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.server.address() as { port: number }).port, latencyMs });
});
