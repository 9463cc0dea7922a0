import { Link } from '@react-email/components';
import { colors } from './styles.js';

/** Props of {@link FooterLink}. */
export interface FooterLinkProps {
  href: string;
  children: string;
}

/** A small, muted, underlined link for footers (still underlined: colour alone is not a cue). */
export function FooterLink({ href, children }: FooterLinkProps) {
  return (
    <Link href={href} style={{ color: colors.muted, textDecoration: 'underline' }}>
      {children}
    </Link>
  );
}
