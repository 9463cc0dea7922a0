import { Heading } from '@react-email/heading';
import { Hr } from '@react-email/hr';
import { Img } from '@react-email/img';
import { Text } from '@react-email/text';
import { cls, colors, defaultBrandColor, s } from './styles.js';

/** Props of {@link Masthead}. */
export interface MastheadProps {
  senderName: string;
  /**
   * The edition label under the name: the date today ("Friday 27 November 2026"); a frequency
   * label ("Your weekly digest, 23–29 November") slots in here too.
   */
  tagline?: string | null;
  /** BRAND_COLOR: the text wordmark's colour. */
  brandColor?: string;
  /** BRAND_LOGO_URL: a wordmark image in place of the text name (its alt text is the name). */
  logoUrl?: string | null;
}

/** The sender's name as the email's one `h1`: a wordmark image when given, else text in the brand colour. */
export function Masthead({ senderName, tagline = null, brandColor = defaultBrandColor, logoUrl = null }: MastheadProps) {
  return (
    <>
      <Heading as="h1" style={{ ...s.mastheadName, color: brandColor }} className={logoUrl ? undefined : cls.accent}>
        {logoUrl ? <Img src={logoUrl} alt={senderName} width={240} height={48} style={{ display: 'block', border: 0, height: 'auto', maxWidth: '240px' }} /> : senderName}
      </Heading>
      {tagline ? (
        <Text style={s.mastheadDate} className={cls.muted}>
          {tagline}
        </Text>
      ) : null}
      <Hr style={{ ...s.heavyRule, borderColor: colors.ink }} className={cls.rule} />
    </>
  );
}
