import { Link } from '@react-email/link';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { EmailLayout } from './_components/EmailLayout.js';
import { FooterLink } from './_components/FooterLink.js';
import { Masthead } from './_components/Masthead.js';
import { SenderFooter } from './_components/SenderFooter.js';
import { listWords } from './_components/list-words.js';
import { cls, colors, s } from './_components/styles.js';

/** Props of the welcome email sent after confirmation. */
export interface WelcomeEmailProps {
  name: string | null;
  topicNames: string[];
  /** When the first digest comes, in the reader's zone: "tomorrow at 07:00 Asia/Singapore". */
  firstDigest: string;
  /** HH:MM and zone of every later digest. */
  sendTime: string;
  timezone: string;
  /** The reader's edition: "daily digest", "weekday digest" or "weekly digest". */
  digestName: string;
  /** When later editions come: "each morning", "each weekday morning", "each Monday morning". */
  cadence: string;
  /** Past editions on the web. */
  archiveUrl: string;
  /** The bare From address, to add to contacts. */
  fromAddress: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
  senderName: string;
  senderAddress: string;
}

/** Sent once the address is confirmed: what comes, when, where the archive is, and how to change it. */
export default function WelcomeEmail(props: Partial<WelcomeEmailProps>) {
  const p = { ...WelcomeEmail.PreviewProps, ...props };
  const link = { color: colors.accent, textDecoration: 'underline' } as const;
  return (
    <EmailLayout title={`Welcome to ${p.senderName}`} preview={`You're subscribed. Your first digest arrives ${p.firstDigest}.`}>
      <Masthead senderName={p.senderName} />
      <Text style={s.paragraph} className={cls.ink}>
        {p.name ? `Welcome, ${p.name}!` : 'Welcome!'}
      </Text>
      <Text style={s.paragraph} className={cls.ink}>
        You’re subscribed to the {p.senderName} {p.digestName}{p.topicNames.length > 0 ? ` about ${listWords(p.topicNames)}` : ''}.
      </Text>
      <Section style={{ padding: '0 0 8px' }}>
        <Text style={{ ...s.paragraph, fontWeight: 'bold' }} className={cls.ink}>
          What to expect
        </Text>
        <Text style={s.paragraph} className={cls.ink}>
          Your first digest arrives {p.firstDigest}. After that, one email {p.cadence} at {p.sendTime} ({p.timezone}) with a section for each of your topics,
          and none when there is no news on them.
        </Text>
        <Text style={s.paragraph} className={cls.ink}>
          Can’t wait?{' '}
          <Link href={p.archiveUrl} className={cls.accent} style={link}>
            Read past editions in the archive
          </Link>
          .
        </Text>
        <Text style={s.paragraph} className={cls.ink}>
          To make sure it reaches your inbox, add {p.fromAddress} to your contacts. To follow other topics, or to change when and how often, use{' '}
          <Link href={p.preferencesUrl} className={cls.accent} style={link}>
            your preferences page
          </Link>
          .
        </Text>
      </Section>
      <SenderFooter senderName={p.senderName} senderAddress={p.senderAddress}>
        <Text style={{ ...s.small, margin: 0 }} className={cls.muted}>
          <FooterLink href={p.preferencesUrl}>Manage your topics</FooterLink> · <FooterLink href={p.unsubscribeUrl}>Unsubscribe</FooterLink>
        </Text>
      </SenderFooter>
    </EmailLayout>
  );
}

WelcomeEmail.PreviewProps = {
  name: 'Ana',
  topicNames: ['China', 'Taiwan', 'Climate'],
  firstDigest: 'tomorrow at 07:00 Asia/Singapore',
  sendTime: '07:00',
  timezone: 'Asia/Singapore',
  digestName: 'daily digest',
  cadence: 'each morning',
  archiveUrl: 'http://localhost:3000/archive',
  fromAddress: 'digest@localhost',
  preferencesUrl: 'http://localhost:3000/preferences/preview-token',
  unsubscribeUrl: 'http://localhost:3000/unsubscribe/preview-token',
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
} satisfies WelcomeEmailProps;
