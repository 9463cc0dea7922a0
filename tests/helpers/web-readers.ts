import type { App } from '../../src/main.js';
import type { Subscriber } from '../../src/model/subscriber.js';
import type { SubscriberInput } from '../../src/model/subscriber.js';

/** Stores a reader directly (skipping the signup pages) and returns them with their page paths. */
export async function storeReader(
  app: App,
  overrides: Partial<SubscriberInput> = {},
): Promise<{ s: Subscriber; preferencesPath: string; unsubscribePath: string }> {
  const input: SubscriberInput = { email: 'reader@example.com', name: 'Reader', timezone: 'Europe/London', topics: ['world', 'tech'], status: 'active', ...overrides };
  const { id } = await app.store.subscribers.upsert(input, new Date().toISOString());
  const s = (await app.store.subscribers.findById(id))!;
  const links = app.links.forSubscriber(s);
  const path = (u: string) => new URL(u).pathname;
  return { s, preferencesPath: path(links.preferencesUrl), unsubscribePath: path(links.unsubscribeUrl) };
}
