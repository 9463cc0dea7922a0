import { Heading } from '@react-email/heading';
import { Img } from '@react-email/img';
import { Link } from '@react-email/link';
import { Section } from '@react-email/section';
import type { Article } from '../../src/model/article.js';
import { captionLine } from './caption.js';
import { storyMeta } from './story-meta.js';
import { cls, colors, contentWidth, sans, serif } from './styles.js';

/** The article fields a digest shows. */
export type DigestArticle = Pick<Article, 'id' | 'url' | 'title' | 'summary' | 'image' | 'source'> & Partial<Pick<Article, 'publishedAt' | 'author'>>;

/** Props of {@link ArticleItem}. */
export interface ArticleItemProps {
  article: DigestArticle;
  /** Where a story without its own URL links (the web version of the digest). */
  fallbackUrl: string;
  /** The edition's first story: a bigger headline and a summary of about two lines. */
  lead?: boolean;
}

/** A lead summary is cut to about two lines of a 552 px column. */
const LEAD_SUMMARY_MAX = 180;
/** Assumed when the source gave no size: news photos are overwhelmingly 16:9. */
const DEFAULT_ASPECT = 9 / 16;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
 * One story: an `h3` headline link, the photo (sized, with caption and credit as real text under
 * it, so image-blocking clients still show them), the standfirst, a byline/source/time line and
 * an explicit "Read more →".
 */
export function ArticleItem({ article, fallbackUrl, lead = false }: ArticleItemProps) {
  const href = article.url ?? fallbackUrl;
  // A photo the source named but gave no address for is left out with its caption.
  const image = article.image?.url ? { ...article.image, url: article.image.url } : null;
  const caption = image ? captionLine(image) : null;
  const size = image ? imageSize(image) : null;
  const meta = storyMeta(article);
  const summary = article.summary ? (lead ? clip(article.summary, LEAD_SUMMARY_MAX) : article.summary) : null;
  return (
    <Section style={{ padding: lead ? '0 0 24px' : '0 0 20px' }}>
      <Heading
        as="h3"
        className={lead ? 'td-lead' : undefined}
        style={{ margin: '0 0 8px', fontFamily: serif, fontSize: lead ? '28px' : '20px', lineHeight: lead ? '34px' : '26px', fontWeight: 'bold' }}
      >
        <Link href={href} className={cls.ink} style={{ color: colors.ink, textDecoration: 'none' }}>
          {article.title}
        </Link>
      </Heading>
      {image && size ? (
        <>
          {/* The caption under the photo says what it shows; an alt repeating it would be read twice. */}
          <Img src={image.url} alt={caption ? '' : `Photo for this story`} width={size.width} height={size.height} style={{ display: 'block', width: '100%', maxWidth: `${size.width}px`, height: 'auto', border: 0, margin: '4px 0 4px' }} />
          {caption ? (
            <p className={cls.muted} style={{ fontFamily: sans, fontSize: '13px', lineHeight: '18px', margin: '0 0 10px', color: colors.muted }}>
              {caption}
            </p>
          ) : null}
        </>
      ) : null}
      {summary ? (
        <p className={cls.ink} style={{ margin: '0 0 6px', fontFamily: sans, fontSize: lead ? '17px' : '15px', lineHeight: lead ? '25px' : '22px', color: colors.ink }}>
          {summary}
        </p>
      ) : null}
      <p className={cls.muted} style={{ margin: 0, fontFamily: sans, fontSize: '13px', lineHeight: '20px', color: colors.muted }}>
        {meta ? `${meta} · ` : ''}
        <a href={href} className={cls.accent} style={{ color: colors.accent, fontWeight: 'bold', textDecoration: 'underline' }}>
          Read more →
        </a>
      </p>
    </Section>
  );
}

/** The display size: the column width, at the source's aspect ratio when known. */
function imageSize(image: { width?: number | null; height?: number | null }): { width: number; height: number } {
  const ratio = image.width && image.height ? image.height / image.width : DEFAULT_ASPECT;
  const width = image.width ? Math.min(contentWidth, Math.round(image.width)) : contentWidth;
  return { width, height: Math.round(width * ratio) };
}
