import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScrapedPage } from '../../../src/ingest/scraped-page.js';

/** Page variants written for these tests (tests/fixtures/pages), one shape each. */
const page = (name: string) => parseScrapedPage(readFileSync(new URL(`../../fixtures/pages/${name}.txt`, import.meta.url), 'utf8'), `${name}.txt`);

describe('scraped page variants', () => {
  it('credit on the caption line: caption and credit split, date from the caption, summary from the body', () => {
    const a = page('credit-on-caption-line');
    expect(a.image).toEqual({ url: null, caption: 'Volunteers repaint the Skerry Point lighthouse in Calder Bay on June 14, 2024.', credit: 'Maya Holt/Coast Courier via REUTERS' });
    expect(a.summary).toMatch(/^Three lighthouses on the northern coast will be staffed again this summer for the first time since the 1980s, as councils/);
    expect(a.publishedAt).toBe('2024-06-14T00:00:00.000Z');
    expect(a.source).toBe('REUTERS');
    expect(a.body).not.toContain('repaint');
  });

  it('credit on its own line ("ST PHOTO: NAME"): the caption is never the summary', () => {
    const a = page('credit-on-own-line');
    expect(a.image).toEqual({ url: null, caption: 'Nurses board a trial night bus outside Eastgate General Hospital on 2 September 2024.', credit: 'RAFI DANIELS' });
    expect(a.summary).toMatch(/^Four night bus routes/);
    expect(a.publishedAt).toBe('2024-09-02T00:00:00.000Z');
    expect(a.body).not.toContain('PHOTO');
  });

  it('no photo: no image, summary is the first paragraph without its dateline, no date', () => {
    const a = page('no-photo');
    expect(a.image).toBeNull();
    expect(a.summary).toMatch(/^Riverton's public libraries will stop charging/);
    expect(a.publishedAt).toBeNull();
  });

  it('two photos: the first caption and credit are kept, the second never becomes text', () => {
    const a = page('two-photos');
    expect(a.image).toEqual({ url: null, caption: 'Soldiers stack sandbags along the Marle embankment on October 8, 2024.', credit: 'Ivo Brandt/Valley Post/Pool via REUTERS' });
    expect(a.summary).toMatch(/^Temporary flood barriers/);
    expect(a.body).not.toContain('stone bridge');
    expect(a.publishedAt).toBe('2024-10-08T00:00:00.000Z');
  });

  it('a standfirst is the summary and stays out of the body; a FILE PHOTO credit is split off', () => {
    const a = page('standfirst');
    expect(a.summary).toBe('The converted mill now houses 60 firms and a public makerspace.');
    expect(a.image).toEqual({ url: null, caption: 'Founders work in the restored weaving hall.', credit: 'METRO LEDGER' });
    expect(a.body.startsWith('WESTON - ')).toBe(true);
  });

  it('a dateline with no year is no date; a bare AFP credit is a credit', () => {
    const a = page('dateline-no-date');
    expect(a.publishedAt).toBeNull();
    expect(a.image).toEqual({ url: null, caption: 'Cranes at the existing terminal on a busy afternoon.', credit: 'AFP' });
    expect(a.summary).toMatch(/^The port authority on Jan 12 approved/);
    expect(a.source).toBe('AFP');
  });

  it('two different printed dates are ambiguous', () => {
    expect(page('two-dates').publishedAt).toBeNull();
  });
});
