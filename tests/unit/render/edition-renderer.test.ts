import { describe, expect, it } from 'vitest';
import { tokens } from '../../../emails/_components/personal-tokens.js';
import { isAppError } from '../../../src/errors.js';
import { createEditionRenderer } from '../../../src/render/edition-renderer.js';
import { makeArticle, makeEdition, makeLargeEdition, makeSection, rendererOptions } from '../../helpers/edition-fixtures.js';

const hostile = `<script>alert(1)</script> & "quotes" it's`;
const anyEntity = /&(amp|lt|gt|quot|#39|#x27|#x22);/;

/** The HTML after the preheader, with React's text-node separators removed. */
function body(html: string): string {
  return html.slice(html.indexOf('<h2')).replace(/<!-- -->/g, '');
}

function headings(html: string): string[] {
  return [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1] ?? '');
}

describe('createEditionRenderer', () => {
  it('renders sections in the given order, each with its own articles', async () => {
    const china = [makeArticle({ title: 'Port volumes hit record' }), makeArticle({ title: 'Yuan steady' })];
    const climate = [makeArticle({ title: 'Dry summer hits harvest' })];
    const edition = makeEdition([makeSection('Taiwan', [makeArticle({ title: 'Typhoon drill' })]), makeSection('China', china), makeSection('Climate', climate)]);
    const r = await createEditionRenderer(rendererOptions).render(edition);

    expect(headings(r.html)).toEqual(['Taiwan', 'China', 'Climate']);
    const pos = (s: string) => body(r.html).indexOf(s);
    expect(pos('Typhoon drill')).toBeLessThan(pos('>China<'));
    expect(pos('>China<')).toBeLessThan(pos('Port volumes hit record'));
    expect(pos('Yuan steady')).toBeLessThan(pos('>Climate<'));
    expect(pos('>Climate<')).toBeLessThan(pos('Dry summer hits harvest'));
    expect(r.articleIds).toEqual([...edition.sections.flatMap((s) => s.articles.map((a) => a.id))]);
    expect(r.key).toBe(edition.key);
    expect(r.text.indexOf('Taiwan')).toBeLessThan(r.text.indexOf('China\n'));
    expect(r.text.indexOf('Yuan steady')).toBeLessThan(r.text.indexOf('Climate\n'));
  });

  it('escapes hostile article text in the HTML and keeps it verbatim in text and subject', async () => {
    const edition = makeEdition([
      makeSection('World & "News"', [makeArticle({ title: hostile, summary: `Standfirst ${hostile}`, source: 'A&B <Wire>' })]),
    ]);
    const r = await createEditionRenderer(rendererOptions).render(edition);

    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ');
    expect(r.text).toContain(hostile);
    expect(r.text).toContain(`Standfirst ${hostile}`);
    expect(r.text).toContain('A&B <WIRE>'.replace('<WIRE>', '<Wire>'));
    expect(r.text).toContain('World & "News"');
    expect(r.text).not.toMatch(anyEntity);
    expect(r.subject).toBe(`Your digest for Friday 27 November: ${hostile}`);
    expect(r.subject).not.toMatch(anyEntity);
  });

  it('writes a one-line subject with the top headline and a count of the rest', async () => {
    const edition = makeEdition([
      makeSection('China', [makeArticle({ title: 'First\r\nline   broken' }), makeArticle(), makeArticle()]),
    ]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    expect(r.subject).toBe('Your digest for Friday 27 November: First line broken and 2 more');
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  it('formats the local date as a calendar date, whatever the process timezone', async () => {
    const edition = makeEdition([makeSection('China', [makeArticle()])], { localDate: '2026-01-01' });
    const r = await createEditionRenderer(rendererOptions).render(edition);
    expect(r.html).toContain('Thursday 1 January 2026');
    expect(r.text).toContain('Thursday 1 January 2026');
    expect(r.subject.startsWith('Your digest for Thursday 1 January:')).toBe(true);
  });

  it('rejects a malformed local date with RENDER_FAILED', async () => {
    const edition = makeEdition([makeSection('China', [makeArticle()])], { localDate: '2026-02-30' });
    await expect(createEditionRenderer(rendererOptions).render(edition)).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED'));
  });

  it('gives images alt text, absolute URLs and a width; captions and credits are text', async () => {
    const edition = makeEdition([
      makeSection('China', [
        makeArticle({ title: 'With caption', image: { url: '/static/harbour-skyline.png', caption: 'Cranes at dusk', credit: 'Lin Wei' } }),
        makeArticle({ title: 'No caption headline', image: { url: 'https://cdn.example/a.jpg', caption: null, credit: null } }),
        makeArticle({ title: 'Bad image', image: { url: 'javascript:alert(1)', caption: 'never shown', credit: null } }),
      ]),
    ]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    const imgs = [...r.html.matchAll(/<img[^>]*>/g)].map((m) => m[0]);
    expect(imgs).toHaveLength(2);
    expect(imgs[0]).toContain('src="https://digest.example/static/harbour-skyline.png"');
    expect(imgs[0]).toContain('alt="Cranes at dusk"');
    expect(imgs[1]).toContain('alt="No caption headline"');
    for (const img of imgs) {
      expect(img).toMatch(/ width="\d+"/);
      expect(img).toContain('max-width:');
    }
    expect(r.html).toContain('Cranes at dusk. Photo: Lin Wei');
    expect(r.text).toContain('Cranes at dusk. Photo: Lin Wei');
    expect(r.html).not.toContain('javascript:');
    expect(r.html).not.toContain('never shown');
  });

  it('links headlines to the article, or to its page on the site when there is no URL (never the archive copy)', async () => {
    const orphan = makeArticle({ url: null, title: 'Orphan story: São Paulo' });
    const edition = makeEdition([makeSection('China', [makeArticle({ url: 'https://news.example/a?x=1&y=2' }), orphan])]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    const page = `${rendererOptions.publicUrl}/articles/${orphan.id}-orphan-story-sao-paulo`;
    expect(r.html).toContain('href="https://news.example/a?x=1&amp;y=2"');
    expect(r.html).toContain(`href="${page}"`);
    expect(r.html).not.toMatch(new RegExp(`href="${tokens.viewOnlineUrl}"[^>]*>Orphan`));
    expect(r.text).toContain(`${page}\n`);
  });

  it('puts the personal tokens, reasons and sender address in the footer of both parts', async () => {
    const edition = makeEdition([makeSection('China', [makeArticle()]), makeSection('Taiwan', [makeArticle()])]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    for (const t of [tokens.unsubscribeUrl, tokens.preferencesUrl, tokens.viewOnlineUrl]) {
      expect(r.html).toContain(`href="${t}"`);
      expect(r.text).toContain(t);
    }
    expect(body(r.html)).toContain('You get this email because you follow China and Taiwan');
    expect(r.text).toContain('You get this email because you follow China and Taiwan');
    expect(r.html).toContain('1 News Street, Example City');
    expect(r.text).toContain('Topic Digest · 1 News Street, Example City');
  });

  it('trims a huge edition under the budget, dropping the last articles first', async () => {
    const edition = makeLargeEdition(12, 5);
    const all = edition.sections.flatMap((s) => s.articles.map((a) => a.id));
    const r = await createEditionRenderer(rendererOptions).render(edition);

    expect(Buffer.byteLength(r.html)).toBeLessThanOrEqual(100_000);
    expect(r.articleIds.length).toBeLessThan(all.length);
    expect(r.articleIds.length).toBeGreaterThan(0);
    // Every section keeps its lead story; what goes is from the end of sections.
    for (const section of edition.sections) expect(r.articleIds).toContain(section.articles[0]?.id);
    for (const section of edition.sections) {
      const kept = section.articles.filter((a) => r.articleIds.includes(a.id)).map((a) => a.id);
      expect(kept).toEqual(section.articles.slice(0, kept.length).map((a) => a.id));
    }
    // The ids listed are exactly the stories in the email.
    for (const id of all) {
      const article = edition.sections.flatMap((s) => s.articles).find((a) => a.id === id);
      expect(r.html.includes(`href="${article?.url}"`)).toBe(r.articleIds.includes(id));
    }
  });

  it('drops a 1 MB title or a 120 KB summary alone, keeping every other story', async () => {
    const normal = [1, 2, 3].map(() => makeArticle());
    const huge = makeArticle({ title: `Huge ${'x'.repeat(1_000_000)}` });
    const long = makeArticle({ summary: 'y '.repeat(60_000) });
    const edition = makeEdition([makeSection('World', [huge, normal[0]!, long]), makeSection('Tech', [normal[1]!, normal[2]!])]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    expect(r.articleIds.sort()).toEqual(normal.map((a) => a.id).sort());
  });

  it('returns no stories, rather than an error or a padded email, when every story is too large', async () => {
    const edition = makeEdition([makeSection('World', [makeArticle({ summary: 'z'.repeat(120_000) })])]);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    expect(r.articleIds).toEqual([]);
  });

  it('keeps everything when the edition fits', async () => {
    const edition = makeLargeEdition(2, 2, 200);
    const r = await createEditionRenderer(rendererOptions).render(edition);
    expect(r.articleIds).toHaveLength(4);
  });

  it('honours a smaller budget', async () => {
    const edition = makeLargeEdition(3, 3, 500);
    const r = await createEditionRenderer({ ...rendererOptions, maxHtmlBytes: 20_000 }).render(edition);
    expect(Buffer.byteLength(r.html)).toBeLessThanOrEqual(20_000);
    expect(r.articleIds.length).toBeLessThan(9);
  });

  it('fails with RENDER_FAILED when even an empty digest is over budget', async () => {
    const edition = makeLargeEdition(1, 1, 100);
    const renderer = createEditionRenderer({ ...rendererOptions, maxHtmlBytes: 1_000 });
    await expect(renderer.render(edition)).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED'));
  });

  it('counts the editions it renders', async () => {
    const renderer = createEditionRenderer(rendererOptions);
    expect(renderer.renderCount).toBe(0);
    await renderer.render(makeEdition([makeSection('China', [makeArticle()])]));
    await renderer.render(makeLargeEdition(12, 5));
    expect(renderer.renderCount).toBe(2);
  });
});
