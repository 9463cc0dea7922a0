import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => h.close());

describe('signup Options', () => {
  it('refuses a bad choice, opens the Options and keeps what was typed; stores nothing', async () => {
    const r = await h.signup({ email: 'opt@example.com', topics: ['world'], frequency: 'weekly', weekday: 'someday', send_time: '04:00' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/<details open>/);
    expect(r.body).toContain('Choose a day of the week, like Monday (got &quot;someday&quot;).');
    expect(r.body).toContain('between 05:00 and 22:00');
    expect(r.body).toContain('id="frequency-weekly" name="frequency" value="weekly" checked');
    expect(await h.app.store.subscribers.findByEmail('opt@example.com')).toBeUndefined();
  });

  it('keeps the Options folded and the defaults when the visitor leaves them alone', async () => {
    const page = await h.get('/');
    expect(page.body).toMatch(/<details>\s*<summary>Options<\/summary>/);
    expect(page.body).toContain('id="frequency-daily" name="frequency" value="daily" checked');
    expect((await h.signup({ email: 'plain@example.com', topics: ['world'] })).statusCode).toBe(200);
    expect(await h.app.store.subscribers.findByEmail('plain@example.com')).toMatchObject({ frequency: 'daily', weekday: null, sendTime: null });
  });
});
