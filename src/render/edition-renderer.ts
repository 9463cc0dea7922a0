import { createElement } from 'react';
import { render as renderEmail } from '@react-email/render';
import DigestEmail from '../../emails/DigestEmail.js';
import { formatLongDate, isCalendarDate } from '../../emails/_components/format-date.js';
import { TOKEN_PATTERN } from '../../emails/_components/personal-tokens.js';
import { AppError } from '../errors.js';
import type { EditionContent, EditionSection, RenderedEdition } from '../model/edition.js';
import { digestSubject, digestText } from './digest-text.js';
import { neutraliseText } from './neutralise.js';
import { prepareSections } from './prepare-content.js';
import { byteSize, countArticles, dropArticles } from './size-budget.js';

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
  /** Renders subject, HTML and text of an edition, trimmed to the size budget. */
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

  async function renderHtml(sections: EditionSection[], content: EditionContent): Promise<string> {
    try {
      return await renderEmail(createElement(DigestEmail, { senderName, senderAddress, localDate: content.localDate, sections, editionLabel: content.label ?? null }));
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
    let html = await renderHtml(sections, content);
    let size = projectedBytes(html);
    while (size > maxHtmlBytes) {
      const count = countArticles(sections);
      if (count === 0) {
        throw new AppError('RENDER_FAILED', `edition ${content.key} exceeds ${maxHtmlBytes} bytes with no articles left`, {
          hint: 'raise maxHtmlBytes or shorten the sender name and address',
        });
      }
      // Average size per article overstates each story's share (the shell counts too), so the
      // estimate drops too few rather than too many; the loop then closes the gap.
      const drop = Math.max(1, Math.ceil((size - maxHtmlBytes) / (size / count)));
      sections = dropArticles(sections, Math.min(drop, count));
      html = await renderHtml(sections, content);
      size = projectedBytes(html);
    }
    const rendered: RenderedEdition = {
      key: content.key,
      subject: digestSubject(sections, content.localDate, content.label?.text),
      html,
      text: digestText(sections, {
        senderName,
        senderAddress,
        dateLabel: content.label?.text ?? formatLongDate(content.localDate),
        ...(content.label ? { switchTo: content.label.frequency === 'weekly' ? 'daily' : 'weekly' } : {}),
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
