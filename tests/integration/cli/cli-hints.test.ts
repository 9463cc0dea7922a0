import { afterEach, expect, it } from 'vitest';
import { nearestSlug } from '../../../src/subscriptions/rules.js';
import { tempDir } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

/** A newcomer's mistakes get hints about what they actually got wrong. */

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function env() {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  return { DATABASE_URL: `sqlite:${tmp.dir}/hints.db`, OUTBOX_DIR: `${tmp.dir}/outbox`, SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent', SEED_SAMPLE_DATA: 'false' };
}

it('a bad address gets an address hint, not a topics hint', async () => {
  const r = await runCliCaptured(['subscribers', 'add', 'not-an-address', '--topics', 'china'], env());
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(/name@example\.com/);
  expect(r.err).not.toMatch(/topics list/);
});

it('an unknown topic gets a did-you-mean', async () => {
  const r = await runCliCaptured(['subscribers', 'add', 'ann@example.com', '--topics', 'chinaa'], env());
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(/"chinaa" \(did you mean "china"\?\)/);
  expect(r.err).toMatch(/topics list/);
});

it('nearestSlug finds near misses and nothing for unrelated words', () => {
  const slugs = ['china', 'taiwan', 'ukraine-war', 'us-politics', 'tech'];
  expect(nearestSlug('chinaa', slugs)).toBe('china');
  expect(nearestSlug('Taiwn', slugs)).toBe('taiwan');
  expect(nearestSlug('ukraine_war', slugs)).toBe('ukraine-war');
  expect(nearestSlug('TECH', slugs)).toBe('tech');
  expect(nearestSlug('football', slugs)).toBeUndefined();
  expect(nearestSlug('tv', slugs)).toBeUndefined();
});
