import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

describe('GET /static/*', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
  });
  afterAll(async () => h.close());

  it('serves the templates\' images so mail clients on other origins may load them', async () => {
    const file = readdirSync(new URL('../../../emails/static/', import.meta.url)).find((f) => f.endsWith('.png'))!;
    const res = await h.get(`/static/${file}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // Pages keep helmet's stricter default.
    expect((await h.get('/')).headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('lists nothing and escapes nothing outside the folder', async () => {
    expect((await h.get('/static/')).statusCode).toBe(404);
    expect((await h.get('/static/..%2f..%2fpackage.json')).statusCode).toBeGreaterThanOrEqual(400);
  });
});
