import { Button } from '@react-email/button';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { EmailLayout } from './_components/EmailLayout.js';
import { Masthead } from './_components/Masthead.js';
import { SenderFooter } from './_components/SenderFooter.js';
import { s } from './_components/styles.js';

/** Props of the email sent when an active reader signs up again. */
export interface AlreadySubscribedEmailProps {
  name: string | null;
  preferencesUrl: string;
  senderName: string;
  senderAddress: string;
}

/**
 * Sent instead of an error on the signup page, so the page never reveals whether an address is
 * already on the list; the mailbox owner learns it here.
 */
export default function AlreadySubscribedEmail({
  name = null,
  preferencesUrl = 'https://example.com/preferences/TOKEN',
  senderName = 'Topic Digest',
  senderAddress = '1 News Street, Example City',
}: Partial<AlreadySubscribedEmailProps>) {
  return (
    <EmailLayout title={`You're already subscribed to ${senderName}`} preview={`You're already subscribed to ${senderName}`}>
      <Masthead senderName={senderName} />
      <Text style={s.paragraph}>{name ? `Hello ${name},` : 'Hello,'}</Text>
      <Text style={s.paragraph}>
        Someone, probably you, just asked to subscribe this address to {senderName}. You’re already
        subscribed, so nothing has changed.
      </Text>
      <Section style={{ padding: '8px 0 24px' }}>
        <Button href={preferencesUrl} style={s.button}>
          Manage your topics
        </Button>
      </Section>
      <Text style={s.small}>If you didn’t ask, you can ignore this email.</Text>
      <SenderFooter senderName={senderName} senderAddress={senderAddress} />
    </EmailLayout>
  );
}

AlreadySubscribedEmail.PreviewProps = {
  name: 'Ana',
  preferencesUrl: 'http://localhost:3000/preferences/preview-token',
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
} satisfies AlreadySubscribedEmailProps;
