import { Text } from '@react-email/components';
import { EmailLayout } from './_components/EmailLayout.js';
import { FooterLink } from './_components/FooterLink.js';
import { Masthead } from './_components/Masthead.js';
import { SenderFooter } from './_components/SenderFooter.js';
import { listWords } from './_components/list-words.js';
import { s } from './_components/styles.js';

/** Props of the welcome email sent after confirmation. */
export interface WelcomeEmailProps {
  name: string | null;
  topicNames: string[];
  /** HH:MM in the reader's zone. */
  sendTime: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
  senderName: string;
  senderAddress: string;
}

/** Sent once the address is confirmed: what they'll get, when, and how to change it. */
export default function WelcomeEmail({
  name = null,
  topicNames = [],
  sendTime = '07:00',
  preferencesUrl = 'https://example.com/preferences/TOKEN',
  unsubscribeUrl = 'https://example.com/unsubscribe/TOKEN',
  senderName = 'Topic Digest',
  senderAddress = '1 News Street, Example City',
}: Partial<WelcomeEmailProps>) {
  return (
    <EmailLayout preview={`You're subscribed. Your first digest arrives at ${sendTime}.`}>
      <Masthead senderName={senderName} />
      <Text style={s.paragraph}>{name ? `Welcome, ${name}!` : 'Welcome!'}</Text>
      <Text style={s.paragraph}>
        You’re subscribed to the {senderName} daily digest
        {topicNames.length > 0 ? ` about ${listWords(topicNames)}` : ''}. Your first digest arrives at{' '}
        {sendTime}, and one arrives each day there is news on your topics.
      </Text>
      <Text style={s.paragraph}>
        You can{' '}
        <FooterLink href={preferencesUrl}>change your topics</FooterLink> at any time.
      </Text>
      <SenderFooter senderName={senderName} senderAddress={senderAddress}>
        <Text style={s.small}>
          <FooterLink href={preferencesUrl}>Manage your topics</FooterLink> ·{' '}
          <FooterLink href={unsubscribeUrl}>Unsubscribe</FooterLink>
        </Text>
      </SenderFooter>
    </EmailLayout>
  );
}

WelcomeEmail.PreviewProps = {
  name: 'Ana',
  topicNames: ['China', 'Taiwan', 'Climate'],
  sendTime: '07:00',
  preferencesUrl: 'http://localhost:3000/preferences/preview-token',
  unsubscribeUrl: 'http://localhost:3000/unsubscribe/preview-token',
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
} satisfies WelcomeEmailProps;
