import { Hr } from '@react-email/hr';
import { Link } from '@react-email/link';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { FooterLink } from './FooterLink.js';
import { listWords } from './list-words.js';
import { cls, colors, s } from './styles.js';

/** The sender's fixed details every digest footer shows. */
export interface DigestBrand {
  senderName: string;
  /** Postal address: bulk-mail law (CAN-SPAM) and good practice want it in every message. */
  senderAddress: string;
  /** BRAND_COLOR for the text wordmark. */
  color: string;
  /** BRAND_LOGO_URL: a wordmark image, or null for text. */
  logoUrl: string | null;
  /** The signup page, for "Forwarded this? Subscribe". */
  subscribeUrl: string;
  /** PRIVACY_URL, or null. */
  privacyUrl: string | null;
  /** True when MAIL_REPLY_TO is set, so replies reach a person. */
  repliesWelcome: boolean;
}

/** A reader's values as the digest shows them: tokens when rendering once for many, sample values in the preview. */
export interface DigestPersonal {
  /** "Hello Ana," */
  greeting: string;
  email: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  viewOnlineUrl: string;
}

/** One link of the footer's link row. Other features (a frequency switch) add theirs to the list. */
export interface FooterLinkItem {
  href: string;
  label: string;
}

/** Props of {@link DigestFooter}. */
export interface DigestFooterProps {
  brand: DigestBrand;
  personal: DigestPersonal;
  topicNames: string[];
  /** Extra links after "Manage your topics" (e.g. "Switch to weekly"). */
  extraLinks?: FooterLinkItem[];
}

/**
 * The digest's footer: the reply invitation, "Forwarded this? Subscribe", why the reader gets
 * it, the manage/unsubscribe/privacy links (44 px tap targets) and the postal address.
 */
export function DigestFooter({ brand, personal, topicNames, extraLinks = [] }: DigestFooterProps) {
  const links: FooterLinkItem[] = [
    { href: personal.preferencesUrl, label: 'Manage your topics' },
    ...extraLinks,
    { href: personal.unsubscribeUrl, label: 'Unsubscribe' },
    { href: personal.viewOnlineUrl, label: 'View in your browser' },
    ...(brand.privacyUrl ? [{ href: brand.privacyUrl, label: 'Privacy' }] : []),
  ];
  return (
    <Section style={{ padding: '0 0 24px' }}>
      <Hr style={s.rule} className={cls.rule} />
      {brand.repliesWelcome ? (
        <Text style={{ ...s.paragraph, fontSize: '15px' }} className={cls.ink}>
          Something we missed, or a story tip? Reply to this email: a person reads every reply.
        </Text>
      ) : null}
      <Text style={{ ...s.paragraph, fontSize: '15px' }} className={cls.ink}>
        Forwarded this?{' '}
        <Link href={brand.subscribeUrl} className={cls.accent} style={{ color: colors.accent, fontWeight: 'bold', textDecoration: 'underline', display: 'inline-block', padding: '12px 0' }}>
          Subscribe to {brand.senderName}
        </Link>
      </Text>
      {topicNames.length > 0 ? (
        <Text style={s.small} className={cls.muted}>
          You get this email because you follow {listWords(topicNames)} at {brand.senderName}. It was sent to {personal.email}.
        </Text>
      ) : null}
      <Text style={{ ...s.small, margin: '0' }} className={cls.muted}>
        {links.map((link, i) => (
          <span key={link.label}>
            {i > 0 ? ' · ' : ''}
            <FooterLink href={link.href}>{link.label}</FooterLink>
          </span>
        ))}
      </Text>
      <Text style={s.small} className={cls.muted}>
        {brand.senderName} · {brand.senderAddress}
      </Text>
    </Section>
  );
}
