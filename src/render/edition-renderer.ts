import { createElement } from 'react';
import type { DigestBrand } from '../../emails/_components/DigestFooter.js';
import { formatLongDate, isCalendarDate } from '../../emails/_components/format-date.js';
import { withOutlookWrappers } from '../../emails/_components/outlook.js';
import { defaultBrandColor } from '../../emails/_components/styles.js';
import { DigestTemplate, switchTo } from '../../emails/_templates/DigestTemplate.js';
import { tokens, TOKEN_PATTERN } from './personal-tokens.js';
import { AppError } from '../errors.js';
import type { EditionContent, EditionSection, RenderedEdition } from '../model/edition.js';
import { digestSubject, digestText } from './digest-text.js';
import { neutraliseText } from './neutralise.js';
import { prepareSections } from './prepare-content.js';
import { renderEmailMarkup } from './static-render.js';
import { createStoryFragments } from './story-fragments.js';
import { byteSize, countArticles, dropToFit } from './size-budget.js';

/** Settings of an {@link EditionRenderer}. */
export interface EditionRendererOptions {
  senderName: string;
  /** Postal address printed in every footer. */
  senderAddress: string;
  /** PUBLIC_URL: site-relative image URLs are made absolute against it, and "Subscribe" links to it. */
  publicUrl: string;
  /** BRAND_COLOR, BRAND_LOGO_URL, PRIVACY_URL, and whether MAIL_REPLY_TO invites replies. */
  brand?: { color?: string; logoUrl?: string | null; privacyUrl?: string | null; repliesWelcome?: boolean };
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
  const brand: DigestBrand = {
    senderName,
    senderAddress,
    color: options.brand?.color ?? defaultBrandColor,
    logoUrl: options.brand?.logoUrl ?? null,
    subscribeUrl: `${options.publicUrl.replace(/\/+$/, '')}/`,
    privacyUrl: options.brand?.privacyUrl ?? null,
    repliesWelcome: options.brand?.repliesWelcome ?? false,
  };
  let renderCount = 0;
  const storyFragments = createStoryFragments();

  async function renderHtml(sections: EditionSection[], content: EditionContent): Promise<string> {
    try {
      // Rendered once for every reader of the edition: personal values go in as tokens. A
      // synchronous static render: same markup as @react-email/render's render(), a third of the cost.
      // Stories shared with earlier editions reuse their markup.
      const stories = storyFragments.forEdition();
      const props = { brand, localDate: content.localDate, editionLabel: content.label ?? null, sections, personal: tokens, story: stories.Story };
      // The Outlook marks are in the template, never in a story, so they are swapped in its shorter markup.
      return stories.fill(withOutlookWrappers(renderEmailMarkup(createElement(DigestTemplate, props))));
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
      if (countArticles(sections) === 0) {
        throw new AppError('RENDER_FAILED', `edition ${content.key} exceeds ${maxHtmlBytes} bytes with no articles left`, {
          hint: 'raise maxHtmlBytes or shorten the sender name and address',
        });
      }
      // It may end with no story left: the caller then skips the edition rather than send it empty.
      sections = dropToFit(sections, size, maxHtmlBytes);
      html = await renderHtml(sections, content);
      size = projectedBytes(html);
    }
    const rendered: RenderedEdition = {
      key: content.key,
      subject: digestSubject(sections, content.localDate, senderName, content.label && content.label.frequency !== 'daily' ? content.label.text : undefined),
      html,
      text: digestText(sections, {
        ...brand,
        dateLabel: content.label?.text ?? formatLongDate(content.localDate),
        ...(content.label ? { switchTo: switchTo(content.label) } : {}),
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
