import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { parseScrapedPage, rejoinBrokenSentences } from '../../../src/ingest/scraped-page.js';
import { fictionalStory, scrapedPage } from '../../helpers/scraped-page-fixture.js';

describe('parseScrapedPage', () => {
  const article = parseScrapedPage(fictionalStory(), 'story.txt');
  const paragraphs = article.body.split('\n\n');

  it('keeps the headline from the first line', () => {
    expect(article.title).toBe('Harbour city opens floating solar farm as heatwave grips region');
  });

  it('keeps the long caption and its credit, and drops the short copy and PHOTO line', () => {
    expect(article.image).toEqual({
      url: null,
      caption: 'Engineers inspect panels at the Northbay floating solar farm in Port Avel, March 3, 2025.',
      credit: 'Lena Marsh/Pool via REUTERS',
    });
    expect(article.body).not.toContain('Engineers inspect');
  });

  it('drops the page furniture', () => {
    for (const furniture of ['Sign up now', 'newsletters', 'Follow topic', 'See more on', 'PHOTO:']) {
      expect(article.body).not.toContain(furniture);
    }
  });

  it('re-joins a sentence the scraper broke where a link was, without a space before punctuation', () => {
    expect(paragraphs[0]).toBe(
      'PORT AVEL - The harbour city of Port Avel switched on its first floating solar farm on March 3 as a heatwave pushed power demand to a record, officials said, calling it a milestone for the region’s climate goals.',
    );
    expect(paragraphs).toHaveLength(3);
  });

  it('takes the wire agency off the last paragraph as the source', () => {
    expect(article.source).toBe('REUTERS');
    expect(paragraphs[2]).toBe('Mayor Ilse Varga said the project showed that renewable power could be built quickly.');
  });

  it('uses the first paragraph without its dateline as the standfirst when the page has no lead line', () => {
    expect(article.summary).toMatch(/^The harbour city of Port Avel switched on/);
    expect(article.publishedAt).toBe('2025-03-03T00:00:00.000Z'); // the caption's date
    expect(article.url).toBeNull();
    expect(article.topics).toEqual([]);
  });

  it('uses a lead line above the photo as the standfirst, and leaves it out of the body', () => {
    const a = parseScrapedPage(fictionalStory({ standfirst: 'The plant can power 9,000 homes.' }), 'p.txt');
    expect(a.summary).toBe('The plant can power 9,000 homes.');
    expect(a.body).not.toContain('9,000 homes');
    expect(a.body.startsWith('PORT AVEL - ')).toBe(true);
  });

  it('takes the credit from a PHOTO line when the caption carries none', () => {
    const a = parseScrapedPage(
      fictionalStory({ photo: { caption: 'A ferry leaves the harbour at dawn.', photoLine: 'AFP' } }),
      'p.txt',
    );
    expect(a.image).toEqual({ url: null, caption: 'A ferry leaves the harbour at dawn.', credit: 'AFP' });
  });

  it('has no image and no source when the page has neither', () => {
    const a = parseScrapedPage(
      scrapedPage({ headline: 'Quiet day', followTopic: false, signUp: false, seeMore: false, paragraphs: ['Nothing happened.', 'Still nothing.'] }),
      'p.txt',
    );
    expect(a).toMatchObject({ image: null, source: null, summary: 'Nothing happened.', body: 'Nothing happened.\n\nStill nothing.' });
  });

  it('finds the photo near the top even without a "Follow topic:" marker', () => {
    const a = parseScrapedPage(fictionalStory({ followTopic: false }), 'p.txt');
    expect(a.image?.credit).toBe('Lena Marsh/Pool via REUTERS');
    expect(a.body.startsWith('PORT AVEL - ')).toBe(true);
  });

  it('handles Windows line endings and a byte-order mark', () => {
    const a = parseScrapedPage('\uFEFF' + fictionalStory().replace(/\n/g, '\r\n'), 'p.txt');
    expect(a.title).toBe(article.title);
    expect(a.body).toBe(article.body);
  });

  it('rejects an empty page and a page with no story, naming the file', () => {
    for (const text of ['', '\n\n', 'Headline only\n\nFollow topic:\n\nSee more on']) {
      let caught: unknown;
      try {
        parseScrapedPage(text, 'empty.txt');
      } catch (err) {
        caught = err;
      }
      expect(isAppError(caught, 'INPUT_INVALID')).toBe(true);
      expect((caught as Error).message).toContain('empty.txt');
    }
  });
});

describe('rejoinBrokenSentences', () => {
  it('joins only after a paragraph without terminal punctuation', () => {
    expect(rejoinBrokenSentences(['He said so.', 'and left.'])).toEqual(['He said so.', 'and left.']);
    expect(rejoinBrokenSentences(['A heading', 'Then a paragraph.'])).toEqual(['A heading', 'Then a paragraph.']);
    expect(rejoinBrokenSentences(['talks with', 'the union', '; later, more.'])).toEqual(['talks with the union; later, more.']);
    expect(rejoinBrokenSentences(['“We agree,”', 'she said.'])).toEqual(['“We agree,” she said.']);
  });
});
