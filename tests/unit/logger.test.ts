import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger, pinoOf, type LogFormat } from '../../src/logger.js';

/** A logger at `debug` whose lines land in an array. */
function capture(format: LogFormat = 'json', isTty = false) {
  const lines: string[] = [];
  const logger = createLogger('debug', { format, isTty, write: (line) => lines.push(line) });
  return { logger, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, pid, message and fields', () => {
    const { logger, json } = capture();
    logger.info('store ready', { topics: 12, database: 'data/x.db', skipped: undefined });
    const [line] = json();
    expect(line).toMatchObject({ level: 30, pid: process.pid, msg: 'store ready', topics: 12, database: 'data/x.db' });
    expect(new Date(String(line!.time)).toISOString()).toBe(line!.time);
    expect(line).not.toHaveProperty('skipped');
  });

  it('drops lines below its level and everything when silent', () => {
    const lines: string[] = [];
    const warnOnly = createLogger('warn', (l) => lines.push(l));
    warnOnly.info('no');
    warnOnly.debug('no');
    warnOnly.warn('yes');
    createLogger('silent', (l) => lines.push(l)).error('no');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['yes']);
  });

  it('logs BigInt and circular values instead of throwing', () => {
    const { logger, json } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(() => logger.info('odd values', { big: 42n, huge: 2n ** 80n, loop })).not.toThrow();
    expect(json()[0]).toMatchObject({ big: 42, loop: { name: 'loop', self: '[Circular]' } });
    expect(() => capture('pretty').logger.warn('odd values', { big: 1n, loop })).not.toThrow();
  });

  it('logs an Error with its type, message, stack, code and cause, under any field name', () => {
    const { logger, json } = capture();
    const cause = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    logger.error('send failed', { error: new TypeError('the relay went away', { cause }), err: new Error('second') });
    const [line] = json() as Array<{ error: Record<string, unknown> & { cause: Record<string, unknown> }; err: Record<string, unknown> }>;
    expect(line!.error).toMatchObject({ type: 'TypeError', message: 'the relay went away' });
    expect(line!.error.stack).toMatch(/^TypeError: the relay went away\n\s+at /);
    expect(line!.error.cause).toMatchObject({ type: 'Error', message: 'connection reset', code: 'ECONNRESET' });
    expect(line!.error.cause.stack).toMatch(/\n\s+at /);
    expect(line!.err).toMatchObject({ type: 'Error', message: 'second' });
  });

  it('cannot be made to write a forged line by a newline in a message or a field', () => {
    const forged = 'ok\n{"level":50,"msg":"forged"}\r\nERROR forged';
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = capture(format);
      logger.info(forged, { name: forged });
      expect(lines, format).toHaveLength(1);
      expect(lines[0], format).not.toMatch(/[\r\n]/);
    }
    const { logger, json } = capture();
    logger.info(forged);
    expect(json()[0]!.msg).toBe(forged); // JSON keeps the text exactly, escaped
  });

  it('keeps a field named like a core key from overriding it', () => {
    const { logger, json } = capture();
    logger.info('real', { level: 60, msg: 'fake', time: 'then' });
    expect(json()[0]).toMatchObject({ level: 30, msg: 'real', level_: 60, msg_: 'fake', time_: 'then' });
  });

  it('writes readable lines on a terminal and JSON elsewhere when the format is auto', () => {
    const tty = capture('auto', true);
    tty.logger.info('hello reader', { topics: 3 });
    expect(tty.lines[0]).toMatch(/INFO.*hello reader.*"topics":3/);
    expect(() => JSON.parse(tty.lines[0]!)).toThrow();
    const pipe = capture('auto', false);
    pipe.logger.info('hello reader');
    expect(JSON.parse(pipe.lines[0]!).msg).toBe('hello reader');
    const forcedPretty = capture('pretty', false);
    forcedPretty.logger.info('plain');
    expect(forcedPretty.lines[0]).toMatch(/^\[[\d-]+ [\d:.]+\] INFO: plain$/); // no colour codes off a terminal
  });

  it('exposes its pino instance for Fastify, at the same level', () => {
    const { logger } = capture();
    expect(pinoOf(logger)?.level).toBe('debug');
    expect(pinoOf({ debug() {}, info() {}, warn() {}, error() {} })).toBeUndefined();
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to auto and accepts json and pretty', () => {
    expect(parseConfig({}).logFormat).toBe('auto');
    expect(parseConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(parseConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => parseConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
