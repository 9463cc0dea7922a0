import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { benchEditions, variedEditions } from '../../../bench/render-editions.js';
import { isAppError } from '../../../src/errors.js';
import { createEditionRenderer, type EditionRendererOptions } from '../../../src/render/edition-renderer.js';

// Rendering is tuned for speed (story markup reused across editions, dates from UTC fields,
// fewer regex passes); none of that may change a byte of what readers get. The snapshot holds a
// hash of each edition's subject, HTML, text and kept stories as the untuned code (93085bc)
// rendered them. A deliberate template change updates it:
// `npx vitest run -u tests/unit/render/render-golden.test.ts`, after reading a few rendered editions.

const plain: EditionRendererOptions = { senderName: 'Topic Digest', senderAddress: '1 News Street, Example City', publicUrl: 'https://digest.example' };
const branded: EditionRendererOptions = {
  senderName: 'Le Quotidien & "Co" %%',
  senderAddress: '12 rue de l’Église, 75001 Paris',
  publicUrl: 'https://digest.example/news/',
  brand: { color: '#0a5c36', logoUrl: 'https://digest.example/logo.png', privacyUrl: 'https://digest.example/privacy?x=1&y=2', repliesWelcome: true },
};
// A tight budget makes most of the varied editions trim stories and render again.
const tight: EditionRendererOptions = { ...plain, maxHtmlBytes: 30_000 };

async function hashes(options: EditionRendererOptions, editions: ReturnType<typeof variedEditions>): Promise<Record<string, string>> {
  const renderer = createEditionRenderer(options);
  const out: Record<string, string> = {};
  for (const edition of editions) {
    try {
      const r = await renderer.render(edition);
      out[edition.key] = createHash('sha256').update(JSON.stringify([r.subject, r.html, r.text, r.articleIds])).digest('hex').slice(0, 24);
    } catch (err) {
      out[edition.key] = `error ${isAppError(err) ? err.code : 'unexpected'}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return out;
}

describe('edition rendering output', () => {
  it('is byte for byte what it was for benchmark-shaped editions', async () => {
    expect(await hashes(plain, benchEditions(40))).toMatchSnapshot();
  });

  it('is byte for byte what it was for varied editions, plainly branded', async () => {
    expect(await hashes(plain, variedEditions(160))).toMatchSnapshot();
  });

  it('is byte for byte what it was for varied editions with a logo, privacy link, replies and odd sender', async () => {
    expect(await hashes(branded, variedEditions(80, 5))).toMatchSnapshot();
  });

  it('is byte for byte what it was when a tight budget trims most editions', async () => {
    const result = await hashes(tight, variedEditions(60, 9));
    expect(result).toMatchSnapshot();
  });
});
