import { Heading, Hr, Section } from '@react-email/components';
import { ArticleItem, type DigestArticle } from './ArticleItem.js';
import { colors, sans, s } from './styles.js';

/** Props of {@link TopicSection}. */
export interface TopicSectionProps {
  name: string;
  articles: DigestArticle[];
}

/** A topic heading followed by its stories. */
export function TopicSection({ name, articles }: TopicSectionProps) {
  return (
    <Section>
      <Heading
        as="h2"
        style={{
          margin: '8px 0 12px',
          fontFamily: sans,
          fontSize: '13px',
          lineHeight: '18px',
          letterSpacing: '1.5px',
          textTransform: 'uppercase',
          color: colors.accent,
          borderBottom: `1px solid ${colors.rule}`,
          paddingBottom: '6px',
        }}
      >
        {name}
      </Heading>
      {articles.map((article) => (
        <ArticleItem key={article.id} article={article} />
      ))}
      <Hr style={{ ...s.rule, margin: '4px 0 16px', borderColor: '#ffffff' }} />
    </Section>
  );
}
