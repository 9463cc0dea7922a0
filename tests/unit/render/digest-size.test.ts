import { describe, expect, it } from 'vitest';
import { createEditionRenderer } from '../../../src/render/edition-renderer.js';
import { compilePersonaliser } from '../../../src/render/personalise.js';
import { makeLargeEdition, makeReader, rendererOptions } from '../../helpers/edition-fixtures.js';

/**
 * A full edition (5 topics × 5 stories, each with a photo, caption and a newsroom-length
 * standfirst) stays at or under 60 KB of HTML once personalised: far from Gmail's ~102 KB clip,
 * with room for long signed links and a frequency label.
 */
describe('digest HTML size', () => {
  it('is at most 60 KB for a 5-topic, 25-story edition, with nothing trimmed', async () => {
    const edition = makeLargeEdition(5, 5, 300);
    const r = await createEditionRenderer({ ...rendererOptions, brand: { privacyUrl: 'https://digest.example/privacy', repliesWelcome: true } }).render(edition);
    expect(r.articleIds).toHaveLength(25);
    const html = compilePersonaliser(r)(makeReader()).html;
    const bytes = Buffer.byteLength(html);
    console.info(`digest HTML, 5 topics × 5 stories: ${bytes} bytes`);
    expect(bytes).toBeLessThanOrEqual(60 * 1024);
  });
});
