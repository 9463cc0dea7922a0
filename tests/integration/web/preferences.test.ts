import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeReader } from '../../helpers/web-readers.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** /preferences/:token: GET shows, POST saves under CSRF, empty selections are refused. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

describe('GET /preferences/:token', () => {
  it('shows the chosen topics, the time zone, pause and unsubscribe', async () => {
    const { preferencesPath, unsubscribePath } = await storeReader(h.app);
    const r = await h.get(preferencesPath);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('reader@example.com');
    expect(r.body).toContain('id="topic-world" name="topics" value="world" checked');
    expect(r.body).toContain('id="topic-tech" name="topics" value="tech" checked');
    expect(r.body).toContain('id="topic-sport" name="topics" value="sport">');
    expect(r.body).toContain('<option value="Europe/London" selected>');
    expect(r.body).toContain('Pause my digest');
    expect(r.body).toContain(`action="${unsubscribePath}"`);
  });

  it('refuses forged tokens (400) and tokens for another purpose', async () => {
    const { s, preferencesPath, unsubscribePath } = await storeReader(h.app);
    expect((await h.get(preferencesPath.slice(0, -3) + 'abc')).statusCode).toBe(400);
    expect((await h.get(unsubscribePath.replace('/unsubscribe/', '/preferences/'))).statusCode).toBe(400);
    expect((await h.get(`/preferences/p.${s.id.toString(36)}..${'A'.repeat(27)}`)).statusCode).toBe(400);
  });

  it('tells a reader who is no longer subscribed how to come back', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    await h.app.store.subscribers.setStatus(s.id, 'unsubscribed', new Date().toISOString());
    const r = await h.get(preferencesPath);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('is not subscribed');
    expect(r.body).toContain('href="/"');
  });
});

describe('POST /preferences/:token', () => {
  it('saves topics and time zone', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm(preferencesPath);
    const r = await h.post(preferencesPath, { action: 'save', topics: ['climate', 'sport'], timezone: 'America/New_York' }, session);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Your preferences are saved.');
    expect(r.body).toContain('value="climate" checked');
    expect(await h.app.store.subscribers.findById(s.id)).toMatchObject({ topics: ['climate', 'sport'], timezone: 'America/New_York', status: 'active' });
  });

  it('refuses an empty topic selection with a message and keeps the old topics', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm(preferencesPath);
    const r = await h.post(preferencesPath, { action: 'save', timezone: 'UTC' }, session);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Choose at least one topic.');
    expect(r.body).toContain('role="alert"');
    expect(await h.app.store.subscribers.findById(s.id)).toMatchObject({ topics: ['world', 'tech'], timezone: 'Europe/London' });
  });

  it('refuses an unknown time zone or topic', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm(preferencesPath);
    expect((await h.post(preferencesPath, { topics: ['world'], timezone: 'Nowhere/Land' }, session)).statusCode).toBe(400);
    expect((await h.post(preferencesPath, { topics: ['made-up'], timezone: 'UTC' }, session)).statusCode).toBe(400);
    expect(await h.app.store.subscribers.findById(s.id)).toMatchObject({ topics: ['world', 'tech'], timezone: 'Europe/London' });
  });

  it('pauses and resumes', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm(preferencesPath);
    const paused = await h.post(preferencesPath, { action: 'pause' }, session);
    expect(paused.body).toContain('Your digest is paused.');
    expect(paused.body).toContain('Resume my digest');
    expect((await h.app.store.subscribers.findById(s.id))!.paused).toBe(true);
    expect(await h.app.store.subscribers.pageActive(0, 10)).toEqual([]);
    await h.post(preferencesPath, { action: 'resume' }, session);
    expect((await h.app.store.subscribers.findById(s.id))!.paused).toBe(false);
  });

  it('refuses a POST without a valid CSRF token and changes nothing', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm(preferencesPath);
    const fields = { action: 'save', topics: ['opinion'], timezone: 'UTC' };
    for (const r of [
      await h.post(preferencesPath, fields, null),
      await h.post(preferencesPath, fields, { ...session, csrf: 'forged-token' }),
      await h.post(preferencesPath, fields, { ...session, cookies: {} }),
      await h.post(preferencesPath, { action: 'pause' }, null),
    ]) {
      expect(r.statusCode).toBe(403);
    }
    expect(await h.app.store.subscribers.findById(s.id)).toMatchObject({ topics: ['world', 'tech'], timezone: 'Europe/London', paused: false });
  });

  it('does not let a forged token save anything', async () => {
    const { s, preferencesPath } = await storeReader(h.app);
    const session = await h.openForm('/');
    const r = await h.post(preferencesPath.slice(0, -3) + 'abc', { topics: ['opinion'], timezone: 'UTC' }, session);
    expect(r.statusCode).toBe(400);
    expect((await h.app.store.subscribers.findById(s.id))!.topics).toEqual(['world', 'tech']);
  });
});
