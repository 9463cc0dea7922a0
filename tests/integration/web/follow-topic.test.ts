import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness({ SEED_SAMPLE_DATA: 'false' });
  await h.app.store.subscribers.upsert({ email: 'ann@example.com', name: 'Ann', timezone: null, topics: ['world'], status: 'active' }, new Date().toISOString());
});
afterEach(() => h.close());

const follow = async (email: string, topic: string) => {
  const form = await h.openForm(`/follow/${topic}`);
  return h.post('/subscribe', { email, topics: topic, timezone: 'UTC' }, form);
};
const visible = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');

describe('Follow <topic> for a reader who already subscribes', () => {
  it('answers exactly as for a stranger, and mails a confirmation that adds only that topic', async () => {
    const known = await follow('ann@example.com', 'china');
    const stranger = await follow('bob@example.com', 'china');
    expect(known.statusCode).toBe(stranger.statusCode);
    expect(visible(known.body).replace('ann@example.com', 'X')).toBe(visible(stranger.body).replace('bob@example.com', 'X'));

    const [mail] = h.mailer.to('ann@example.com');
    const link = linkIn(mail!, 'https://digest.example/follow/confirm/');
    expect((await h.app.store.subscribers.findByEmail('ann@example.com'))!.topics).toEqual(['world']); // nothing yet

    const page = await h.openForm(pathOf(link));
    expect(page.response.body).toContain('China');
    const tampered = pathOf(link).replace(/\.china\./, '.world+china.');
    expect((await h.get(tampered)).statusCode).toBe(400);
    const done = await h.post(pathOf(link), {}, page);
    expect(done.statusCode).toBe(200);
    expect((await h.app.store.subscribers.findByEmail('ann@example.com'))!.topics.sort()).toEqual(['china', 'world']);
  });

  it('sends the already-subscribed email when nothing new is asked for', async () => {
    await follow('ann@example.com', 'world');
    const [mail] = h.mailer.to('ann@example.com');
    expect(mail!.text).not.toContain('/follow/confirm/');
  });
});
