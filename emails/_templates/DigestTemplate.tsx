import type { ComponentType } from 'react';
import { Link } from '@react-email/link';
import { Text } from '@react-email/text';
import type { EditionLabel, EditionSection } from '../../src/model/edition.js';
import type { ArticleItemProps } from '../_components/ArticleItem.js';
import { DigestFooter, type DigestBrand, type DigestPersonal, type FooterLinkItem } from '../_components/DigestFooter.js';
import { EmailLayout } from '../_components/EmailLayout.js';
import { Masthead } from '../_components/Masthead.js';
import { sectionAnchor, TopicSection } from '../_components/TopicSection.js';
import { formatLongDate } from '../_components/format-date.js';
import { cls, colors, s } from '../_components/styles.js';
import { topicCountLine, topicCounts } from '../_components/topic-counts.js';

/** Props of the daily digest. */
export interface DigestTemplateProps {
  brand: DigestBrand;
  /** The readers' local calendar date, YYYY-MM-DD. */
  localDate: string;
  /** Which edition this is ("Your weekly digest, 23–29 November"); absent reads as the long date ("Friday 27 November 2026"). */
  editionLabel?: EditionLabel | null;
  sections: EditionSection[];
  /** The reader's values: placeholder tokens when rendered once per edition (src/render), real values in previews. */
  personal: DigestPersonal;
  /** Extra footer links (e.g. a frequency switch). */
  extraFooterLinks?: FooterLinkItem[];
  /** What renders each story (see TopicSection); the preview leaves it out. */
  story?: ComponentType<ArticleItemProps>;
}

/**
 * The daily digest. It renders once per edition and is shared by every reader of that edition;
 * what differs per reader comes in `personal`. The first story of the first section leads.
 */
export function DigestTemplate({ brand, localDate, editionLabel, sections, personal, extraFooterLinks = [], story }: DigestTemplateProps) {
  const shown = sections.filter((section) => section.articles.length > 0);
  const counts = topicCounts(shown);
  const label = editionLabel?.text ?? formatLongDate(localDate);
  const preheader = [editionLabel?.text, topicCountLine(shown)].filter(Boolean).join(' · ') || `Your ${brand.senderName} digest`;
  // The one-click frequency switch: the reader's signed preferences link, which shows a confirm button.
  const footerLinks = editionLabel ? [{ href: `${personal.preferencesUrl}/switch?to=${switchTo(editionLabel)}`, label: `Switch to ${switchTo(editionLabel)}` }, ...extraFooterLinks] : extraFooterLinks;
  return (
    <EmailLayout title={`${brand.senderName}: ${label}`} preview={preheader}>
      <Text style={{ ...s.small, margin: '8px 0 0', textAlign: 'right' }} className={cls.muted}>
        <Link href={personal.viewOnlineUrl} className={cls.muted} style={{ color: colors.muted, textDecoration: 'underline', display: 'inline-block', padding: '8px 0' }}>
          View in your browser
        </Link>
      </Text>
      <Masthead senderName={brand.senderName} tagline={label} brandColor={brand.color} logoUrl={brand.logoUrl} />
      <Text style={s.paragraph} className={cls.ink}>
        {personal.greeting} here are {editionLabel?.frequency === 'weekly' ? 'this week’s' : 'today’s'} stories on your topics.
      </Text>
      {counts.length > 0 ? (
        <Text style={{ ...s.paragraph, fontSize: '14px', lineHeight: '22px' }} className={cls.ink}>
          <strong>In this digest:</strong>{' '}
          {counts.map((c, i) => (
            <span key={c.slug}>
              {i > 0 ? ' · ' : ''}
              <Link href={`#${sectionAnchor(c.slug)}`} className={cls.ink} style={{ color: colors.ink, textDecoration: 'underline' }}>
                {c.name} {c.count}
              </Link>
            </span>
          ))}
        </Text>
      ) : null}
      {shown.map((section, i) => (
        <TopicSection key={section.topic.slug} slug={section.topic.slug} name={section.topic.name} articles={section.articles} fallbackUrl={personal.viewOnlineUrl} first={i === 0} story={story} />
      ))}
      <DigestFooter brand={brand} personal={personal} topicNames={shown.map((x) => x.topic.name)} extraLinks={footerLinks} />
    </EmailLayout>
  );
}

/** What the footer's switch link offers: weekly readers go back to daily, everyone else to weekly. */
export function switchTo(label: EditionLabel): 'daily' | 'weekly' {
  return label.frequency === 'weekly' ? 'daily' : 'weekly';
}
