import { describe, expect, it } from 'vitest';
import type { MessageParts, PersonalValues } from '../../../src/model/edition.js';
import { tokens } from '../../../src/render/personal-tokens.js';
import { createEditionRenderer } from '../../../src/render/edition-renderer.js';
import { compilePersonaliser, greetingFor } from '../../../src/render/personalise.js';

/** One reader's message, compiled for one use: the production path (compile once per edition). */
const personalise = (parts: MessageParts, values: PersonalValues): MessageParts => compilePersonaliser(parts)(values);
import { makeArticle, makeEdition, makeReader, makeSection, rendererOptions } from '../../helpers/edition-fixtures.js';

async function renderSample(articleOverrides = {}) {
  const edition = makeEdition([makeSection('China', [makeArticle(articleOverrides)])]);
  return createEditionRenderer(rendererOptions).render(edition);
}

describe('personalise', () => {
  it('fills footer links: & escaped in HTML hrefs, raw in the text', async () => {
    const reader = makeReader();
    const m = personalise(await renderSample(), reader);
    expect(m.html).toContain('href="https://digest.example/unsubscribe/tok1?src=email&amp;kind=digest"');
    expect(m.html).toContain('href="https://digest.example/preferences/tok2?src=email&amp;x=1"');
    expect(m.html).toContain('href="https://digest.example/archive/ed1?r=1&amp;s=2"');
    expect(m.text).toContain(`Unsubscribe: ${reader.unsubscribeUrl}\n`);
    expect(m.text).toContain(`Manage your topics: ${reader.preferencesUrl}\n`);
    expect(m.text).toContain(`View in your browser: ${reader.viewOnlineUrl}\n`);
    expect(m.html.replace(/<!-- -->/g, '')).toContain('sent to ana@example.com');
    for (const part of [m.html, m.text]) expect(part).not.toContain('%%td:');
  });

  it('escapes a hostile reader name in the HTML and keeps it raw in the text', async () => {
    const m = personalise(await renderSample(), makeReader({ name: '<b>Ana</b> & "Bo"' }));
    expect(m.html).not.toContain('<b>Ana</b>');
    expect(m.html).toContain('Hello &lt;b&gt;Ana&lt;/b&gt; &amp; &quot;Bo&quot;,');
    expect(m.text).toContain('Hello <b>Ana</b> & "Bo", here are');
  });

  it('falls back to a plain greeting without a name', async () => {
    const rendered = await renderSample();
    for (const name of [null, '', '   ']) {
      const m = personalise(rendered, makeReader({ name }));
      expect(m.text).toContain('Hello, here are');
      expect(m.html).toContain('Hello, here are');
    }
    expect(greetingFor('Ana\r\nBcc: x')).toBe('Hello Ana Bcc: x,');
  });

  it('does not substitute token-looking text from an article', async () => {
    const forged = `Click ${tokens.unsubscribeUrl} or %%td:email%%`;
    const rendered = await renderSample({
      title: forged,
      summary: `100%% sure ${tokens.greeting}`,
      url: `https://news.example/a?u=${tokens.unsubscribeUrl}`,
    });
    const reader = makeReader();
    const m = personalise(rendered, reader);
    for (const part of [m.html, m.text, m.subject]) {
      expect(part).not.toContain(`Click ${reader.unsubscribeUrl}`);
      expect(part).not.toContain('or ana@example.com');
      expect(part).toContain('Click %\u2060%td:unsubscribe_url%\u2060% or');
    }
    expect(m.text).toContain('100%\u2060% sure');
    expect(m.html).toContain('href="https://news.example/a?u=%25%td:unsubscribe_url%25%"');
  });

  it('leaves unknown tokens alone', () => {
    const m = personalise({ subject: 'S %%td:nope%%', html: '<p>%%td:nope%% %%td:email%%</p>', text: '%%td:nope%%' }, makeReader());
    expect(m).toEqual({ subject: 'S %%td:nope%%', html: '<p>%%td:nope%% ana@example.com</p>', text: '%%td:nope%%' });
  });

  it('keeps subject values on one line', () => {
    const m = personalise({ subject: 'For %%td:name%%', html: '', text: '' }, makeReader({ name: 'Ana\r\nBcc: evil@example.com' }));
    expect(m.subject).toBe('For Ana Bcc: evil@example.com');
  });

  it('compiles once and serves many readers independently', async () => {
    const fill = compilePersonaliser(await renderSample());
    const a = fill(makeReader({ name: 'Ana', email: 'ana@example.com' }));
    const b = fill(makeReader({ name: 'Bo', email: 'bo@example.com', unsubscribeUrl: 'https://digest.example/unsubscribe/bo' }));
    expect(a.text).toContain('Hello Ana,');
    expect(b.text).toContain('Hello Bo,');
    expect(b.text).not.toContain('Ana');
    expect(b.html).toContain('href="https://digest.example/unsubscribe/bo"');
    expect(a.html).not.toContain('unsubscribe/bo');
  });
});
