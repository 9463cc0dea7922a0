import { Img, Link, Section, Text } from '@react-email/components';
import type { Article } from '../../src/model/article.js';
import { captionLine } from './caption.js';
import { tokens } from './personal-tokens.js';
import { colors, contentWidth, sans, serif, s } from './styles.js';

/** The article fields a digest shows. */
export type DigestArticle = Pick<Article, 'id' | 'url' | 'title' | 'summary' | 'image' | 'source'>;

/** Props of {@link ArticleItem}. */
export interface ArticleItemProps {
  article: DigestArticle;
}

/**
 * One story: linked headline, optional photo with caption and credit as text (image-blocking
 * clients still show them), standfirst and source. A story without its own URL links to the web
 * version of the digest, so every headline goes somewhere.
 */
export function ArticleItem({ article }: ArticleItemProps) {
  const href = article.url ?? tokens.viewOnlineUrl;
  // A photo the source named but gave no address for is left out with its caption: a caption
  // under nothing reads as an error.
  const image = article.image?.url ? { ...article.image, url: article.image.url } : null;
  const caption = image ? captionLine(image) : null;
  return (
    <Section style={{ padding: '0 0 20px' }}>
      <Text style={{ margin: '0 0 8px', fontFamily: serif, fontSize: '20px', lineHeight: '26px', fontWeight: 'bold' }}>
        <Link href={href} style={{ color: colors.ink, textDecoration: 'none' }}>
          {article.title}
        </Link>
      </Text>
      {image ? (
        <>
          <Img
            src={image.url}
            alt={image.caption?.trim() || article.title}
            width={contentWidth}
            style={{ display: 'block', width: '100%', maxWidth: `${contentWidth}px`, height: 'auto', border: 0, margin: '4px 0 4px' }}
          />
          {caption ? <Text style={{ ...s.small, margin: '0 0 10px' }}>{caption}</Text> : null}
        </>
      ) : null}
      {article.summary ? (
        <Text style={{ margin: '0 0 6px', fontFamily: sans, fontSize: '15px', lineHeight: '22px', color: colors.ink }}>
          {article.summary}
        </Text>
      ) : null}
      {article.source ? (
        <Text style={{ margin: 0, fontFamily: sans, fontSize: '11px', lineHeight: '16px', letterSpacing: '1px', color: colors.faint }}>
          {article.source.toUpperCase()}
        </Text>
      ) : null}
    </Section>
  );
}
