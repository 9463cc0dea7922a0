import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../src/ingest/html-to-text.js';

describe('htmlToText', () => {
  it('turns blocks into paragraphs and drops inline tags', () => {
    expect(htmlToText('<div><p>One <em>two</em></p><p>Three<br>four</p><ul><li>a</li><li>b</li></ul></div>')).toBe('One two\n\nThree\n\nfour\n\na\n\nb');
  });

  it('drops scripts, styles and comments with their content', () => {
    expect(htmlToText('<p>Keep</p><script>var x = "<p>no</p>";</script><style>p{}</style><!-- <p>hidden</p> -->')).toBe('Keep');
  });

  it('keeps a ">" inside a quoted attribute from ending the tag', () => {
    expect(htmlToText('<a title="a > b" href="x">link</a> text')).toBe('link text');
  });

  it('decodes entities once, so escaped markup stays text', () => {
    expect(htmlToText('<p>Fish &amp;amp; chips &lt;b&gt; &#8217; &#x2014; &nbsp;x&unknown;</p>')).toBe('Fish &amp; chips <b> ’ — x&unknown;');
    expect(decodeEntities('&#0; &#xD800;')).toBe('&#0; &#xD800;');
  });
});
