/**
 * The benchmark's SMTP sink, run as a separate process so its CPU is not charged to the sender:
 * a real smtp-server on 127.0.0.1 that accepts every message, discards the body and counts it.
 *
 * Protocol over the IPC channel: it sends `{ type: 'ready', port }` once listening, answers
 * `{ type: 'count' }` with `{ type: 'count', count, bytes }`, and exits on `{ type: 'stop' }`.
 */
import { SMTPServer } from 'smtp-server';

/** A message from the sink to its parent. */
export type SinkReply = { type: 'ready'; port: number } | { type: 'count'; count: number; bytes: number };

/** A message from the parent to the sink. */
export type SinkRequest = { type: 'count' } | { type: 'stop' };

let count = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      count++;
      callback();
    });
  },
});

const send = (reply: SinkReply) => process.send?.(reply);

process.on('message', (msg: SinkRequest) => {
  if (msg.type === 'count') send({ type: 'count', count, bytes });
  if (msg.type === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => server.close(() => process.exit(0)));

server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.server.address() as { port: number }).port });
});
