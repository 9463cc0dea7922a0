import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/main.js';
import { cliPerTest } from '../../helpers/cli-per-test.js';
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js';

/** `topic-digest webhooks …` end to end: add, list (no secrets), log, resend to a real endpoint, remove. */

const cli = cliPerTest('webhooks');

describe('webhooks commands', () => {
  it('refuses unknown events, bad URLs, bad secrets and duplicates, naming what was wrong', async () => {
    expect((await cli.run('add', 'https://hooks.example/a', '--events', 'subscriber.created,subscriber.eaten')).err).toMatch(/unknown events: subscriber\.eaten/);
    expect((await cli.run('add', 'ftp://hooks.example/a', '--events', 'subscriber.created')).err).toMatch(/http or https/);
    expect((await cli.run('add', 'https://hooks.example/a', '--events', 'source.failed', '--secret', 'hunter2')).err).toMatch(/not a Standard Webhooks secret/);
    const added = await cli.run('add', 'https://hooks.example/a', '--events', 'source.failed');
    expect(added.code).toBe(0);
    expect(added.out.join('\n')).toMatch(/secret: whsec_[A-Za-z0-9+/=]{40,}/);
    expect((await cli.run('add', 'https://hooks.example/a', '--events', 'source.failed')).err).toMatch(/already a webhook/);
    const list = await cli.run('list', '--json');
    expect(JSON.parse(list.out.join('\n'))).toEqual([{ id: 1, url: 'https://hooks.example/a', events: ['source.failed'], createdAt: expect.any(String), lastSuccessAt: null, lastFailureAt: null, lastError: null, pending: 0 }]);
    expect(list.out.join('\n')).not.toContain('whsec_');
    expect((await cli.run('remove', 'https://hooks.example/a')).code).toBe(0);
    expect((await cli.run('remove', '1')).err).toMatch(/no webhook 1/);
  });

  it('resend delivers a logged delivery again with the same webhook-id', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const receiver = await startWebhookReceiver(secret);
    try {
      expect((await cli.run('add', receiver.url, '--events', 'subscriber.created', '--secret', secret)).out.join('\n')).not.toContain(secret);
      // Queue one event the way the app does, then let the CLI send it.
      const app = await createApp(parseConfig(cli.env), { logger: silentLogger, seedTopics: false });
      await app.events.emit('subscriber.created', { email: 'ann@example.com' });
      await app.webhookSender.idle();
      await app.close();
      expect(receiver.received).toHaveLength(1);
      const log = await cli.run('log', '1');
      expect(log.out.join('\n')).toMatch(/^1 {2}webhook 1 {2}subscriber\.created {2}delivered {2}attempts 1 {2}last 200/m);
      const resent = await cli.run('resend', '1');
      expect(resent.out).toEqual(['delivery 1: delivered']);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
      expect((await cli.run('resend', '99')).err).toMatch(/no webhook delivery 99/);
      const attempts = await cli.run('log', '1', '--attempts');
      expect(attempts.out).toHaveLength(2);
      expect(attempts.out[0]).toMatch(/^\S+ {2}delivery 1 {2}subscriber\.created {2}attempt 2 {2}200 OK {2}next -$/);
      expect(attempts.out[1]).toMatch(/attempt 1 {2}200 OK/);
      expect((await cli.run('log', '--attempts')).err).toMatch(/--attempts needs a webhook id/);
    } finally {
      await receiver.close();
    }
  });
});
