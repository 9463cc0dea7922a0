import { createElement } from 'react';
import DigestEmail from '../../emails/DigestEmail.js';
import { formatLongDate, isCalendarDate } from '../../emails/_components/format-date.js';
import { TOKEN_PATTERN } from '../../emails/_components/personal-tokens.js';
import { AppError } from '../errors.js';
import type { EditionContent, EditionSection, RenderedEdition } from '../model/edition.js';
import { digestSubject, digestText } from './digest-text.js';
import { neutraliseText } from './neutralise.js';
import { prepareSections } from './prepare-content.js';
import { renderEmailMarkup } from './static-render.js';
import { byteSize, countArticles, dropToFit } from './size-budget.js';

/** Settings of an {@link EditionRenderer}. */
export interface EditionRendererOptions {
  senderName: string;
  /** Postal address printed in every footer. */
  senderAddress: string;
  /** PUBLIC_URL: site-relative image URLs are made absolute against it. */
  publicUrl: string;
  /** HTML budget in bytes, personal values included; Gmail clips at about 102 KB. */
  maxHtmlBytes?: number;
  /** Bytes set aside for each token's eventual value (signed URLs, addresses). */
  bytesPerToken?: number;
}

/** Renders editions once each; the send loop personalises the result per reader. */
export interface EditionRenderer {
  /**
   * Renders subject, HTML and text of an edition, trimmed to the size budget. `articleIds` lists
   * the stories kept; it is empty when every story was too large, and such an edition must not be sent.
   */
  render(content: EditionContent): Promise<RenderedEdition>;
  /** How many editions this renderer has rendered (trimming re-renders are not counted). */
  readonly renderCount: number;
}

const DEFAULT_MAX_HTML_BYTES = 100_000;
const DEFAULT_BYTES_PER_TOKEN = 256;

/** Creates an {@link EditionRenderer}. */
export function createEditionRenderer(options: EditionRendererOptions): EditionRenderer {
  const maxHtmlBytes = options.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const bytesPerToken = options.bytesPerToken ?? DEFAULT_BYTES_PER_TOKEN;
  const senderName = neutraliseText(options.senderName);
  const senderAddress = neutraliseText(options.senderAddress);
  let renderCount = 0;

  async function renderHtml(sections: EditionSection[], localDate: string): Promise<string> {
    try {
      // Synchronous static render: same markup as @react-email/render's render(), a third of the cost.
      return renderEmailMarkup(createElement(DigestEmail, { senderName, senderAddress, localDate, sections }));
    } catch (cause) {
      throw new AppError('RENDER_FAILED', 'could not render the digest email', { cause });
    }
  }

  // The budget must hold once tokens become real URLs, so each token counts at its likely size.
  function projectedBytes(html: string): number {
    return byteSize(html) + (html.match(TOKEN_PATTERN)?.length ?? 0) * bytesPerToken;
  }

  async function render(content: EditionContent): Promise<RenderedEdition> {
    if (!isCalendarDate(content.localDate)) {
      throw new AppError('RENDER_FAILED', `edition ${content.key} has a bad local date ${JSON.stringify(content.localDate)}`, {
        hint: 'localDate must be a YYYY-MM-DD calendar date',
      });
    }
    let sections = prepareSections(content.sections, options.publicUrl);
    let html = await renderHtml(sections, content.localDate);
    let size = projectedBytes(html);
    while (size > maxHtmlBytes) {
      if (countArticles(sections) === 0) {
        throw new AppError('RENDER_FAILED', `edition ${content.key} exceeds ${maxHtmlBytes} bytes with no articles left`, {
          hint: 'raise maxHtmlBytes or shorten the sender name and address',
        });
      }
      // It may end with no story left: the caller then skips the edition rather than send it empty.
      sections = dropToFit(sections, size, maxHtmlBytes);
      html = await renderHtml(sections, content.localDate);
      size = projectedBytes(html);
    }
    const rendered: RenderedEdition = {
      key: content.key,
      subject: digestSubject(sections, content.localDate),
      html,
      text: digestText(sections, {
        senderName,
        senderAddress,
        dateLabel: formatLongDate(content.localDate),
      }),
      articleIds: sections.flatMap((section) => section.articles.map((a) => a.id)),
    };
    renderCount += 1;
    return rendered;
  }

  return {
    render,
    get renderCount() {
      return renderCount;
    },
  };
}
