import { Text } from '@react-email/components';
import type { EditionLabel, EditionSection } from '../src/model/edition.js';
import { EmailLayout } from './_components/EmailLayout.js';
import { FooterLink } from './_components/FooterLink.js';
import { Masthead } from './_components/Masthead.js';
import { SenderFooter } from './_components/SenderFooter.js';
import { TopicSection } from './_components/TopicSection.js';
import { formatLongDate } from './_components/format-date.js';
import { listWords } from './_components/list-words.js';
import { tokens } from './_components/personal-tokens.js';
import { sampleEdition } from './_components/sample-edition.js';
import { s } from './_components/styles.js';

/** Props of the daily digest. Nothing personal: readers' values arrive later as tokens. */
export interface DigestEmailProps {
  senderName: string;
  senderAddress: string;
  /** The readers' local calendar date, YYYY-MM-DD. */
  localDate: string;
  sections: EditionSection[];
  /** Which edition this is ("Your weekly digest, 23–29 November"); absent reads as a plain dated digest. */
  editionLabel?: EditionLabel | null;
}

/**
 * The daily digest. It renders once per edition and is shared by every reader of that edition,
 * so every personal value (greeting, links, address) is a `%%td:…%%` token filled in per reader.
 */
export default function DigestEmail({
  senderName = 'Topic Digest',
  senderAddress = '1 News Street, Example City',
  localDate = sampleEdition.localDate,
  sections = sampleEdition.sections,
  editionLabel = null,
}: Partial<DigestEmailProps>) {
  const shown = sections.filter((section) => section.articles.length > 0);
  const headlines = shown.flatMap((section) => section.articles.map((a) => a.title));
  const topicNames = shown.map((section) => section.topic.name);
  return (
    <EmailLayout preview={[editionLabel?.text, ...headlines.slice(0, 3)].filter(Boolean).join(' · ') || `Your ${senderName} digest`}>
      <Text style={{ ...s.small, margin: '12px 0 0', textAlign: 'right' }}>
        <FooterLink href={tokens.viewOnlineUrl}>View in your browser</FooterLink>
      </Text>
      <Masthead senderName={senderName} tagline={editionLabel?.text ?? formatLongDate(localDate)} />
      <Text style={s.paragraph}>{tokens.greeting} here are {editionLabel?.frequency === 'weekly' ? 'this week’s' : 'today’s'} stories on your topics.</Text>
      {shown.map((section) => (
        <TopicSection key={section.topic.slug} name={section.topic.name} articles={section.articles} />
      ))}
      <SenderFooter senderName={senderName} senderAddress={senderAddress}>
        {topicNames.length > 0 ? (
          <Text style={s.small}>
            You get this email because you follow {listWords(topicNames)} at {senderName}. It was sent
            to {tokens.email}.
          </Text>
        ) : null}
        <Text style={s.small}>
          <FooterLink href={tokens.preferencesUrl}>Manage your topics</FooterLink> ·{' '}
          {editionLabel ? (
            <>
              <FooterLink href={switchFrequencyHref(editionLabel)}>{editionLabel.frequency === 'weekly' ? 'Switch to daily' : 'Switch to weekly'}</FooterLink> ·{' '}
            </>
          ) : null}
          <FooterLink href={tokens.unsubscribeUrl}>Unsubscribe</FooterLink> ·{' '}
          <FooterLink href={tokens.viewOnlineUrl}>View in your browser</FooterLink>
        </Text>
      </SenderFooter>
    </EmailLayout>
  );
}

/** The one-click frequency switch: the reader's signed preferences link, which shows a confirm button. */
export function switchFrequencyHref(label: EditionLabel): string {
  return `${tokens.preferencesUrl}/switch?to=${label.frequency === 'weekly' ? 'daily' : 'weekly'}`;
}

DigestEmail.PreviewProps = {
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
  localDate: sampleEdition.localDate,
  sections: sampleEdition.sections,
} satisfies DigestEmailProps;
