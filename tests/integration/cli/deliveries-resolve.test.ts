import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/main.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startMisbehavingSmtp, type MisbehavingSmtp } from '../../helpers/misbehaving-smtp.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const NOW = '2026-11-20T08:00:00.000Z';
const READERS = ['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com'];

describe('uncertain deliveries: reported by name, listed, settled by the operator', () => {
  let server: MisbehavingSmtp | undefined;
  afterEach(async () => server?.close());

  async function world(times: number, fault: 'close-after-data' | 'silent-after-data' = 'close-after-data') {
    server = await startMisbehavingSmtp(fault, { times });
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/cli.db`, SMTP_URL: server.url, SMTP_MAX_CONNECTIONS: '1', SMTP_TIMEOUT_SECONDS: '1', SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(NOW), { articles: [{ title: 'Ceasefire talks resume', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });
    await app.close();
    return env;
  }

  it('names each uncertain row with its reason; resolve --delivered and --not-delivered settle them and the warning stops', async () => {
    const env = await world(2);
    const run = await runCliCaptured(['send', '--now', NOW], env);
    expect(run.code, run.err).toBe(0);
    const text = run.out.join('\n');
    expect(text).toMatch(/sent=2 .*uncertain=2/);
    const named = [...text.matchAll(/uncertain #(\d+) (\S+) 2026-11-20 <[^>]+> \(no reply after DATA/g)];
    expect(named).toHaveLength(2);
    expect(text).toMatch(/deliveries resolve <id…> --delivered/);

    const list = await runCliCaptured(['deliveries', 'list', '--uncertain'], env);
    expect(list.out[0]).toBe('id\tdate\tstatus\temail\towner\tlease until\treason');
    expect(list.out.filter((l) => /\tuncertain\s*\t/.test(l))).toHaveLength(2);
    expect(list.out.join('\n')).toMatch(/\d+-[0-9a-f]{8}\t-\tno reply after DATA/);

    const [first, second] = named.map((m) => ({ id: m[1]!, email: m[2]! }));
    const bad = await runCliCaptured(['deliveries', 'resolve', first!.id], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--delivered or --not-delivered/);
    const delivered = await runCliCaptured(['deliveries', 'resolve', first!.id, '--delivered'], env);
    expect(delivered.code, delivered.err).toBe(0);
    expect(delivered.out.join('\n')).toMatch(/settled 1 delivery as delivered/);
    const again = await runCliCaptured(['deliveries', 'resolve', first!.id, '--delivered'], env);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/not uncertain .*: \d+/);
    const notDelivered = await runCliCaptured(['deliveries', 'resolve', '--all-uncertain', '--not-delivered', '--json'], env);
    expect(JSON.parse(notDelivered.out[0]!)).toEqual({ settled: [Number(second!.id)], notUncertain: [] });

    // The row settled as not delivered goes out again; the one settled as delivered does not.
    const rerun = await runCliCaptured(['send', '--now', NOW, '--json'], env);
    expect(JSON.parse(rerun.out[0]!)).toMatchObject({ sent: 1, uncertain: 0 });
    expect(rerun.out.join('\n')).not.toMatch(/warning/);
    expect(server!.to(second!.email)).toHaveLength(2); // the operator's call: it did arrive the first time
    expect(server!.to(first!.email)).toHaveLength(1);
  }, 30_000);

  it('SIGTERM during a stalled send ends within SMTP_TIMEOUT_SECONDS, exits 0 and leaves the message uncertain', async () => {
    const env = await world(1, 'silent-after-data');
    const child = spawn(process.execPath, ['bin/topic-digest.js', 'send', '--now', NOW], { env: { ...process.env, ...env, SMTP_TIMEOUT_SECONDS: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await server!.waitFor((m) => m.length >= 1, 20_000);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(3_000 + 2_500);
    expect(out).toMatch(/sent=0 .*uncertain=1/);
    expect(out).toMatch(/stopped early: interrupted/);
    expect(server!.messages).toHaveLength(1);
  }, 30_000);
});
