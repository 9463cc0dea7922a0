import { Link } from '@react-email/link';
import { cls, colors } from './styles.js';

/** Props of {@link FooterLink}. */
export interface FooterLinkProps {
  href: string;
  children: string;
}

/**
 * A small, muted, underlined link for footers (still underlined: colour alone is not a cue),
 * padded to a 44 px tap target so a thumb hits "Unsubscribe" and not its neighbour.
 */
export function FooterLink({ href, children }: FooterLinkProps) {
  return (
    <Link href={href} className={cls.muted} style={{ color: colors.muted, textDecoration: 'underline', display: 'inline-block', padding: '12px 4px', lineHeight: '20px', minHeight: '20px' }}>
      {children}
    </Link>
  );
}
