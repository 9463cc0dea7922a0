import { Button } from '@react-email/button';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { EmailLayout } from './_components/EmailLayout.js';
import { Masthead } from './_components/Masthead.js';
import { SenderFooter } from './_components/SenderFooter.js';
import { listWords } from './_components/list-words.js';
import { s } from './_components/styles.js';

/** Props of the double opt-in email. */
export interface ConfirmEmailProps {
  name: string | null;
  confirmUrl: string;
  topicNames: string[];
  senderName: string;
  senderAddress: string;
  expiresHours: number;
  /** The reader's edition: "daily digest", "weekday digest" or "weekly digest". */
  digestName: string;
}

/** Double opt-in: nothing is sent to an address until its owner clicks the button. */
export default function ConfirmEmail({
  name = null,
  confirmUrl = 'https://example.com/confirm/TOKEN',
  topicNames = [],
  senderName = 'Topic Digest',
  senderAddress = '1 News Street, Example City',
  expiresHours = 48,
  digestName = 'daily digest',
}: Partial<ConfirmEmailProps>) {
  return (
    <EmailLayout title={`Confirm your subscription to ${senderName}`} preview={`Confirm your subscription to ${senderName}`}>
      <Masthead senderName={senderName} />
      <Text style={s.paragraph}>{name ? `Hello ${name},` : 'Hello,'}</Text>
      <Text style={s.paragraph}>
        Please confirm that you want to receive the {senderName} {digestName}
        {topicNames.length > 0 ? ` about ${listWords(topicNames)}` : ''}.
      </Text>
      <Section style={{ padding: '8px 0 24px' }}>
        <Button href={confirmUrl} style={s.button}>
          Confirm your subscription
        </Button>
      </Section>
      <Text style={s.small}>
        Or paste this link into your browser: {confirmUrl}
      </Text>
      <Text style={s.small}>
        This link expires in {expiresHours} hours. If you didn’t ask to subscribe, ignore this email:
        you won’t hear from us again.
      </Text>
      <SenderFooter senderName={senderName} senderAddress={senderAddress} />
    </EmailLayout>
  );
}

ConfirmEmail.PreviewProps = {
  name: 'Ana',
  confirmUrl: 'http://localhost:3000/confirm/preview-token',
  topicNames: ['China', 'Taiwan', 'Climate'],
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
  expiresHours: 48,
  digestName: 'daily digest',
} satisfies ConfirmEmailProps;
