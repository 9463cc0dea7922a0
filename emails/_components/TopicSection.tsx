import type { ComponentType } from 'react';
import { Heading } from '@react-email/heading';
import { Section } from '@react-email/section';
import { ArticleItem, type ArticleItemProps, type DigestArticle } from './ArticleItem.js';
import { cls, colors, sans } from './styles.js';

/** Props of {@link TopicSection}. */
export interface TopicSectionProps {
  slug: string;
  name: string;
  articles: DigestArticle[];
  /** Where stories without their own URL link. */
  fallbackUrl: string;
  /** True for the edition's first section: its first story is the lead. */
  first?: boolean;
  /**
   * What renders each story: {@link ArticleItem} unless given. The edition renderer passes one
   * that reuses a story's markup across the many editions that carry it.
   */
  story?: ComponentType<ArticleItemProps>;
}

/** The anchor id of a topic's section, the target of the "In this digest" links. */
export function sectionAnchor(slug: string): string {
  return `topic-${slug.replace(/[^a-z0-9-]/gi, '-')}`;
}

/** A topic's `h2` heading followed by its stories. */
export function TopicSection({ slug, name, articles, fallbackUrl, first = false, story: Story = ArticleItem }: TopicSectionProps) {
  return (
    <Section>
      <Heading
        as="h2"
        id={sectionAnchor(slug)}
        className={`${cls.accent} ${cls.rule}`}
        style={{
          margin: '8px 0 16px',
          fontFamily: sans,
          fontSize: '14px',
          lineHeight: '20px',
          letterSpacing: '1.5px',
          textTransform: 'uppercase',
          color: colors.accent,
          borderBottom: `1px solid ${colors.rule}`,
          paddingBottom: '6px',
        }}
      >
        {name}
      </Heading>
      {articles.map((article, i) => (
        <Story key={article.id} article={article} fallbackUrl={fallbackUrl} lead={first && i === 0} />
      ))}
    </Section>
  );
}
