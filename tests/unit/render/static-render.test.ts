import { render } from '@react-email/render';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import DigestEmail from '../../../emails/DigestEmail.js';
import { prepareSections } from '../../../src/render/prepare-content.js';
import { renderEmailMarkup } from '../../../src/render/static-render.js';
import { makeArticle, makeLargeEdition, makeSection } from '../../helpers/edition-fixtures.js';

// The static render must give exactly what @react-email/render's render() gives, apart from the
// comment markers React's streaming renderer puts between text nodes and around Suspense.

const withoutComments = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '');

const editions = [
  [makeSection('World', [makeArticle({ title: 'Ünïcode “quotes” & <tags>', summary: 'a <b>bold</b> claim' })])],
  [makeSection('Tech', [makeArticle({ image: { url: 'https://img.example/a.png', caption: 'A chart', credit: 'Wire' } }), makeArticle({ image: { url: '/static/b.png', caption: null, credit: null } })]), makeSection('Sport', [makeArticle()])],
  makeLargeEdition(4, 5, 400).sections,
  [makeSection('Empty-ish', [makeArticle({ summary: null, title: '%%td:name%% is not a token here' })])],
];

describe('renderEmailMarkup', () => {
  it.each(editions.map((s, i) => [i, s] as const))('equals render() for sample edition %i, comment markers aside', async (_i, sections) => {
    const props = { senderName: 'Topic Digest', senderAddress: '1 Quay Street', localDate: '2026-11-27', sections: prepareSections(sections, 'https://news.example') };
    const expected = await render(createElement(DigestEmail, props));
    const actual = renderEmailMarkup(createElement(DigestEmail, props));
    expect(actual.startsWith('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"')).toBe(true);
    expect(actual).not.toMatch(/<link[^>]*rel="preload"/);
    expect(withoutComments(actual)).toBe(withoutComments(expected));
  });
});
