import type { ReactNode } from 'react';
import { Hr } from '@react-email/hr';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { cls, s } from './styles.js';

/** Props of {@link SenderFooter}. */
export interface SenderFooterProps {
  senderName: string;
  /** Postal address: bulk-mail law (CAN-SPAM) and good practice want it in every message. */
  senderAddress: string;
  /** Lines above the sender block, e.g. why you get this and the manage/unsubscribe links. */
  children?: ReactNode;
}

/** The bottom of every email: optional explanation lines, then the sender's name and address. */
export function SenderFooter({ senderName, senderAddress, children }: SenderFooterProps) {
  return (
    <Section style={{ padding: '0 0 24px' }}>
      <Hr style={s.rule} className={cls.rule} />
      {children}
      <Text style={s.small} className={cls.muted}>
        {senderName} · {senderAddress}
      </Text>
    </Section>
  );
}
